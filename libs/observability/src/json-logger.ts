import type { LogLevelName } from '@gate/config';
import type { LoggerService } from '@nestjs/common';
import { currentCorrelationId } from './correlation';

/** Where and what a `JsonLogger` writes. */
export interface JsonLoggerOptions {
  readonly service: string;
  /** The least severe level written (`LOG_LEVEL`): `info` writes info, warn, error and fatal. */
  readonly level: LogLevelName;
  /** Receives each line, newline included; standard output by default. */
  readonly write?: (line: string) => void;
}

type Written = LogLevelName | 'fatal';

const SEVERITY: Record<Written, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };
const RESERVED = new Set(['time', 'level', 'service', 'context', 'msg', 'correlationId']);
const STACK = /^.+\n\s+at .+:\d+:\d+/;

/**
 * Nest's `LoggerService` writing one JSON object per line: `time`, `level`, `service`, `context`,
 * `msg`, `correlationId` (of the request or message being handled, when there is one) and any
 * fields of an object passed as the message (`logger.log({ msg: 'revoked', sessionId }, 'Sessions')`).
 * An `Error` becomes `msg` plus `err: { name, message, stack }`.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;
  private readonly write: (line: string) => void;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = SEVERITY[options.level];
    this.write = options.write ?? ((line) => process.stdout.write(line));
  }

  /** Writes at `debug`. */
  verbose(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  /** Writes at `debug`. */
  debug(message: unknown, ...params: unknown[]): void {
    this.emit('debug', message, params);
  }
  /** Writes at `info`. */
  log(message: unknown, ...params: unknown[]): void {
    this.emit('info', message, params);
  }
  /** Writes at `warn`. */
  warn(message: unknown, ...params: unknown[]): void {
    this.emit('warn', message, params);
  }
  /** Writes at `error`; a stack trace given as Nest gives it (`error(msg, stack, context)`) goes into `err.stack`. */
  error(message: unknown, ...params: unknown[]): void {
    this.emit('error', message, params);
  }
  /** Writes at `fatal`, shown whatever the level. */
  fatal(message: unknown, ...params: unknown[]): void {
    this.emit('fatal', message, params);
  }

  private emit(level: Written, message: unknown, params: unknown[]): void {
    if (SEVERITY[level] < this.threshold) return;
    const rest = [...params];
    // Nest passes the context last and, for errors, a stack trace before it.
    const last = rest.at(-1);
    const context = typeof last === 'string' && !STACK.test(last) ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' && STACK.test(rest[0]) ? (rest.shift() as string) : undefined;

    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.options.service,
      context,
      msg: '',
      correlationId: currentCorrelationId(),
    };
    describe(message, entry);
    if (stack !== undefined) entry.err = { ...(entry.err as object), stack };
    for (const extra of rest) describe(extra, entry);
    this.write(`${serialize(entry)}\n`);
  }
}

/** Puts what `value` says into `entry`: an error as `err`, an object's own fields, anything else as text. */
function describe(value: unknown, entry: Record<string, unknown>): void {
  if (value instanceof Error) {
    if (entry.msg === '') entry.msg = value.message;
    entry.err = { name: value.name, message: value.message, stack: value.stack };
  } else if (value !== null && typeof value === 'object') {
    const { msg, ...fields } = value as Record<string, unknown>;
    if (typeof msg === 'string' && entry.msg === '') entry.msg = msg;
    for (const [key, field] of Object.entries(fields)) if (!RESERVED.has(key)) entry[key] = field;
  } else if (value !== undefined) {
    entry.msg = entry.msg === '' ? String(value) : `${entry.msg} ${String(value)}`;
  }
}

function serialize(entry: Record<string, unknown>): string {
  try {
    return JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch {
    const { time, level, service, context, msg, correlationId } = entry;
    return JSON.stringify({ time, level, service, context, msg, correlationId, logError: 'fields not serializable' });
  }
}
