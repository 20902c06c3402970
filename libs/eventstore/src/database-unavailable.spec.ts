import { ConnectionException, DriverException, SyntaxErrorException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConcurrencyError } from './errors';
import { isDatabaseUnavailable } from './database-unavailable';

const socketError = (code: string, message = `connect ${code} 127.0.0.1:5432`) => Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('isDatabaseUnavailable tells "PostgreSQL cannot be reached" from everything else', () => {
  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET', 'read ECONNRESET')],
    ['an unknown database host (DNS)', socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND db')],
    ['MikroORM wrapping a refused connection', new DriverException(socketError('ECONNREFUSED'))],
    ["MikroORM's ConnectionException", new ConnectionException(new Error('connection lost'))],
    ['every address of a host refused', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')], '')],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a connect that timed out', new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated') })],
    ['no free pool connection in time', new Error('timeout exceeded when trying to connect')],
    ['no answer within the query timeout', new Error('Query read timeout')],
    ['a client whose connection broke', new Error('Client has encountered a connection error and is not queryable')],
    ['the server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['the server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', pgError('08006', 'connection failure')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['the cause of a wrapper', new Error('could not append', { cause: new DriverException(socketError('ECONNRESET')) })],
  ])('%s: yes', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new UniqueConstraintViolationException(pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a syntax error', new SyntaxErrorException(pgError('42601', 'syntax error at or near "selec"'))],
    ['a concurrency conflict', new ConcurrencyError('group:a', 1, 2)],
    ['a plain error', new Error('boom')],
    ['an AggregateError with one unrelated error', new AggregateError([socketError('ECONNREFUSED'), new Error('boom')], '')],
    ['no error at all', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('%s: no', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
