import type { LogLevelName } from '@gate/config';
import { runWithCorrelationId } from './correlation';
import { JsonLogger } from './json-logger';

function capture(level: LogLevelName = 'debug') {
  const lines: string[] = [];
  const logger = new JsonLogger({ service: 'verify', level, write: (line) => lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with the standard fields', () => {
    const { logger, lines, entries } = capture();
    logger.log('listening', 'Bootstrap');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('}\n')).toBe(true);
    expect(lines[0].slice(0, -1)).not.toContain('\n');
    const [entry] = entries();
    expect(entry).toEqual({ time: expect.any(String), level: 'info', service: 'verify', context: 'Bootstrap', msg: 'listening' });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it('maps Nest levels onto ours', () => {
    const { logger, entries } = capture();
    logger.verbose('v');
    logger.debug('d');
    logger.log('l');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(entries().map((e) => e.level)).toEqual(['debug', 'debug', 'info', 'warn', 'error', 'fatal']);
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error', 'fatal']],
    ['info', ['info', 'warn', 'error', 'fatal']],
    ['warn', ['warn', 'error', 'fatal']],
    ['error', ['error', 'fatal']],
  ] as const)('at LOG_LEVEL=%s writes only %j', (level, written) => {
    const { logger, entries } = capture(level);
    logger.debug('d');
    logger.log('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(entries().map((e) => e.level)).toEqual(written);
  });

  it('adds the current correlation id', () => {
    const { logger, entries } = capture();
    runWithCorrelationId('req-42', () => logger.log('inside'));
    logger.log('outside');
    expect(entries()[0].correlationId).toBe('req-42');
    expect(entries()[1]).not.toHaveProperty('correlationId');
  });

  it('spreads the fields of an object message, never over the standard ones', () => {
    const { logger, entries } = capture();
    logger.log({ msg: 'session revoked', sessionId: 's1', level: 'fake', service: 'fake' }, 'Sessions');
    expect(entries()[0]).toMatchObject({ msg: 'session revoked', sessionId: 's1', level: 'info', service: 'verify', context: 'Sessions' });
  });

  it('takes a stack trace the way Nest passes one: error(message, stack, context)', () => {
    const { logger, entries } = capture();
    const stack = new Error('boom').stack as string;
    logger.error('request failed', stack, 'ExceptionsHandler');
    logger.error('request failed', stack);
    logger.error('no stack', 'Context');
    const [withContext, withoutContext, plain] = entries();
    expect(withContext).toMatchObject({ msg: 'request failed', context: 'ExceptionsHandler', err: { stack } });
    expect(withoutContext).toMatchObject({ msg: 'request failed', err: { stack } });
    expect(withoutContext).not.toHaveProperty('context');
    expect(plain).toMatchObject({ msg: 'no stack', context: 'Context' });
    expect(plain).not.toHaveProperty('err');
  });

  it('writes an Error as its message plus err', () => {
    const { logger, entries } = capture();
    logger.error(new TypeError('bad thing'), 'ExceptionsHandler');
    expect(entries()[0]).toMatchObject({
      msg: 'bad thing',
      context: 'ExceptionsHandler',
      err: { name: 'TypeError', message: 'bad thing', stack: expect.stringContaining('bad thing') },
    });
  });

  it('still writes a line when a field cannot be serialized', () => {
    const { logger, entries } = capture();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    logger.warn({ msg: 'odd', circular, big: 1n });
    expect(entries()[0]).toMatchObject({ level: 'warn', msg: 'odd', logError: 'fields not serializable' });
    logger.warn({ msg: 'big', count: 10n });
    expect(entries()[1]).toMatchObject({ msg: 'big', count: '10' });
  });
});
