import { ConnectionException } from '@mikro-orm/core';

/** The stable code every service answers with while PostgreSQL cannot be reached (HTTP 503). */
export const DATABASE_UNAVAILABLE = 'DATABASE.UNAVAILABLE';

/** The `Retry-After` (seconds) that goes with DATABASE_UNAVAILABLE. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Socket errors of a connection that cannot be made or was lost (DNS included: compose's `db` gone).
const NETWORK_CODES = new Set([
  ...['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE'],
  ...['EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN'],
]);

// SQLSTATE class 08 (connection exception), 57P01-57P03 (admin or crash shutdown, still starting up)
// and 53300 (too many connections): the server is not serving us now, the request itself is fine.
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

// What pg, pg-pool and kysely say when they give up on a connection; they carry no code.
const MESSAGES = [
  /^Connection terminated/, // unexpectedly, or "due to connection timeout"
  /^timeout exceeded when trying to connect$/, // pg-pool: no connection free within connectionTimeoutMillis
  /^Query read timeout$/, // pg: no answer within query_timeout
  /is not queryable$/, // pg: a client whose connection broke or was closed
];

/**
 * True when `error` says that PostgreSQL cannot be reached or stopped serving: refused, reset or
 * timed-out connections, a pool that found no connection in time, a server shutting down or
 * starting up, MikroORM's ConnectionException. Looks through `cause` chains and AggregateErrors
 * (a host name with several addresses). False for anything the request itself got wrong (a
 * constraint, a syntax error), so those keep their own mapping. The edge answers it with 503,
 * DATABASE_UNAVAILABLE and `Retry-After`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailable(error, 0);
}

function unavailable(error: unknown, depth: number): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof ConnectionException) return true;
  const { code, message, cause, errors } = error as Partial<Record<'code' | 'message' | 'cause' | 'errors', unknown>>;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => unavailable(e, depth + 1))) return true;
  return unavailable(cause, depth + 1);
}
