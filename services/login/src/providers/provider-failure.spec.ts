import { ClientError, ResponseBodyError } from 'openid-client';
import { withinDeadline } from './deadline';
import { providerFailureOf, providerLoginError } from './provider-failure';

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code, { cause }), { code });
const provider = { id: 'idp', name: 'The IdP' };

describe('telling a failing provider from a refused answer', () => {
  it('sees a timeout in the error or any of its causes', () => {
    expect(providerFailureOf(new DOMException('signal timed out', 'TimeoutError'))).toBe('timeout');
    expect(providerFailureOf(new ClientError('operation timed out', { cause: new DOMException('x', 'TimeoutError') }))).toBe('timeout');
    expect(providerFailureOf(new TypeError('fetch failed', { cause: coded('UND_ERR_HEADERS_TIMEOUT') }))).toBe('timeout');
  });

  it('sees a provider that is down or answers with something that is not OAuth', () => {
    expect(providerFailureOf(new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }))).toBe('unreachable');
    const closed = new TypeError('fetch failed', { cause: new Error('other side closed') });
    expect(providerFailureOf(new ClientError('something went wrong', { cause: closed }))).toBe('unreachable');
    expect(providerFailureOf(coded('OAUTH_RESPONSE_IS_NOT_JSON'))).toBe('unreachable');
    expect(providerFailureOf(coded('OAUTH_RESPONSE_IS_NOT_CONFORM'))).toBe('unreachable');
    const serverError = new ResponseBodyError('server_error', { cause: { error: 'server_error' }, response: new Response(null, { status: 500 }) });
    expect(providerFailureOf(serverError)).toBe('unreachable');
  });

  it('treats everything else as a refused answer, a hostile one included', () => {
    const invalidGrant = new ResponseBodyError('invalid_grant', { cause: { error: 'invalid_grant' }, response: new Response(null, { status: 400 }) });
    expect(providerFailureOf(invalidGrant)).toBe('refused');
    expect(providerFailureOf(new ClientError('invalid response encountered', { cause: coded('OAUTH_INVALID_RESPONSE') }))).toBe('refused');
    expect(providerFailureOf('a string')).toBe('refused');
    expect(providerFailureOf(null)).toBe('refused');
  });

  it('maps each to its LoginError: 504, 502, or 400 naming what did not validate', () => {
    expect(providerLoginError(new DOMException('x', 'TimeoutError'), provider, 'no')).toMatchObject({ code: 'LOGIN.PROVIDER_TIMEOUT', status: 504, provider: 'idp' });
    expect(providerLoginError(coded('ECONNRESET'), provider, 'no')).toMatchObject({ code: 'LOGIN.PROVIDER_UNREACHABLE', status: 502, message: expect.stringContaining('The IdP') });
    const forged = new ClientError('invalid response encountered', { cause: new Error('JWT signature verification failed') });
    expect(providerLoginError(forged, provider, 'did not validate')).toMatchObject({
      code: 'LOGIN.VALIDATION_FAILED',
      status: 400,
      message: 'did not validate (invalid response encountered: JWT signature verification failed)',
    });
  });
});

describe('a deadline', () => {
  it('rejects with its own error once the time is up, and passes the work through before', async () => {
    await expect(withinDeadline(new Promise(() => undefined), 10, () => new Error('late'))).rejects.toThrow('late');
    await expect(withinDeadline(Promise.resolve(1), 1000, () => new Error('late'))).resolves.toBe(1);
    await expect(withinDeadline(Promise.reject(new Error('no')), 1000, () => new Error('late'))).rejects.toThrow('no');
  });
});
