import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { AccessRuleError } from '@gate/access-rules';
import { InvalidEventError } from '@gate/events';
import { ConcurrencyError } from '@gate/eventstore';
import { DirectoryError } from '../directory-error';
import { httpErrorOf } from './directory-exception.filter';

describe('httpErrorOf maps each error to HTTP once', () => {
  it.each([
    [DirectoryError.invalid('DIRECTORY.INVALID_INPUT', 'x'), 400, 'DIRECTORY.INVALID_INPUT'],
    [DirectoryError.notFound('DIRECTORY.GROUP_NOT_FOUND', 'x'), 404, 'DIRECTORY.GROUP_NOT_FOUND'],
    [DirectoryError.conflict('DIRECTORY.GROUP_EXISTS', 'x'), 409, 'DIRECTORY.GROUP_EXISTS'],
    [new AccessRuleError('RULES.INVALID_HOST_PATTERN', 'x'), 400, 'RULES.INVALID_HOST_PATTERN'],
    [new InvalidEventError('x'), 400, 'EVENTS.INVALID'],
    [new ConcurrencyError('group:a', 1, 2), 412, 'EVENTSTORE.CONCURRENCY'],
    [new UnauthorizedException(), 401, 'AUTH.UNAUTHENTICATED'],
    [new ForbiddenException('no'), 403, 'AUTH.FORBIDDEN'],
  ])('%p → %i %s', (error, status, code) => {
    expect(httpErrorOf(error)).toMatchObject({ status, code });
  });

  it('answers 503 with Retry-After while PostgreSQL cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(httpErrorOf(refused)).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE', retryAfterSec: 5 });
  });

  it('hides the details of an unexpected error behind a 500', () => {
    expect(httpErrorOf(new Error('connection string postgres://secret@db'))).toEqual({ status: 500, code: 'INTERNAL', message: 'internal error' });
  });
});
