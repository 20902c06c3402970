import { LoginError } from '../login/login-errors';
import { OidcClient } from './oidc-client';
import { ProviderConfig } from './provider-config';
import { ProviderRegistry } from './provider-registry';

const provider = (id: string): ProviderConfig => ({ id, name: id.toUpperCase(), preset: 'oidc', issuer: `https://${id}.example`, clientId: 'c', clientSecret: 's', scopes: ['openid'], groupsClaim: undefined, allowUnverifiedEmail: false, logoutAtProvider: false });

describe('provider registry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers unavailable while discovery fails, keeps retrying with back-off, then serves the provider', async () => {
    let attempts = 0;
    const fake = {} as OidcClient;
    const registry = new ProviderRegistry([provider('a'), provider('b')], async (p) => {
      if (p.id === 'b') return fake;
      attempts++;
      if (attempts < 3) throw new Error('ECONNREFUSED');
      return fake;
    }, { firstMs: 100, maxMs: 1000 });
    registry.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(registry.client('b')).toBe(fake);
    expect(() => registry.client('a')).toThrow(expect.objectContaining({ code: 'LOGIN.PROVIDER_UNAVAILABLE', status: 503 }));
    await jest.advanceTimersByTimeAsync(100);
    expect(attempts).toBe(2);
    await jest.advanceTimersByTimeAsync(199);
    expect(attempts).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(registry.client('a')).toBe(fake);
    registry.stop();
  });

  it('refuses an unknown provider id', () => {
    const registry = new ProviderRegistry([provider('a')], async () => ({}) as OidcClient);
    expect(() => registry.config('nope')).toThrow(LoginError);
    expect(() => registry.client('nope')).toThrow(expect.objectContaining({ code: 'LOGIN.UNKNOWN_PROVIDER' }));
  });
});
