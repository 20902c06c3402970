import { LoginError } from '../login/login-errors';

/*
 * What went wrong in an exchange with a provider, as the user should see it. A provider that cannot
 * be reached, drops the connection or answers with something that is not an OAuth answer (a 5xx,
 * an HTML error page, a body that is not JSON) is down: 502. One that does not answer within the
 * timeout: 504. Anything else that does not validate is the provider's answer being refused: 400.
 * None of them ever starts a session.
 */

const TIMEOUT_CODES = new Set(['OAUTH_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);
// oauth4webapi's codes for an answer that is not a usable OAuth/JSON answer at all.
const BROKEN_ANSWER_CODES = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_PARSE_ERROR']);

type Failure = 'timeout' | 'unreachable' | 'refused';

/** Classifies an error thrown while talking to a provider (the error and its causes, across realms). */
export function providerFailureOf(err: unknown): Failure {
  let unreachable = false;
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const { name, code, message, status } = current as { name?: unknown; code?: unknown; message?: unknown; status?: unknown };
    if (name === 'TimeoutError' || TIMEOUT_CODES.has(code as string)) return 'timeout';
    if (NETWORK_CODES.has(code as string) || BROKEN_ANSWER_CODES.has(code as string)) unreachable = true;
    // undici's network failure, and an OAuth error answer with a 5xx status (the provider is broken).
    if (name === 'TypeError' && message === 'fetch failed') unreachable = true;
    if (name === 'ResponseBodyError' && typeof status === 'number' && status >= 500) unreachable = true;
    current = (current as { cause?: unknown }).cause;
  }
  return unreachable ? 'unreachable' : 'refused';
}

/** openid-client's message and, when it wraps one, the more specific message of its cause. */
function detailOf(err: unknown): string {
  const { message, cause } = (err ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  const own = typeof message === 'string' ? message : String(err);
  return typeof cause?.message === 'string' && cause.message !== own ? `${own}: ${cause.message}` : own;
}

/**
 * The LoginError for an error from an exchange with `provider`: PROVIDER_TIMEOUT (504),
 * PROVIDER_UNREACHABLE (502), or VALIDATION_FAILED (400) with `refusal` as its message.
 */
export function providerLoginError(err: unknown, provider: { id: string; name: string }, refusal: string): LoginError {
  if (err instanceof LoginError) return err;
  const failure = providerFailureOf(err);
  switch (failure) {
    case 'timeout':
      return new LoginError('PROVIDER_TIMEOUT', `${provider.name} did not answer in time. Please try again.`, provider.id);
    case 'unreachable':
      return new LoginError('PROVIDER_UNREACHABLE', `${provider.name} cannot be reached right now. Please try again.`, provider.id);
    case 'refused':
      return new LoginError('VALIDATION_FAILED', `${refusal} (${detailOf(err)})`, provider.id);
    default: {
      const _exhaustive: never = failure;
      throw new Error(`unhandled failure ${String(_exhaustive)}`);
    }
  }
}
