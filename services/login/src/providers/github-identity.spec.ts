import { githubIdentity, identityFromGithub } from './github-identity';

describe('GitHub identity', () => {
  it('takes the primary e-mail, verified only when GitHub says so', () => {
    const user = { id: 42, login: 'octo', name: null };
    expect(identityFromGithub(user, [{ email: 'x@y.z', primary: false, verified: true }, { email: 'Octo@Example.com', primary: true, verified: true }])).toEqual({ subject: '42', email: 'Octo@Example.com', emailVerified: true, name: 'octo', groups: [] });
    expect(identityFromGithub(user, [{ email: 'o@e.com', primary: true, verified: false }]).emailVerified).toBe(false);
    expect(identityFromGithub(user, []).email).toBeNull();
  });

  it('reads /user and /user/emails with the access token and refuses an error answer', async () => {
    const seen: string[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      seen.push(`${url} ${(init.headers as Record<string, string>).authorization}`);
      if (url.endsWith('/user')) return new Response(JSON.stringify({ id: 1, login: 'a', name: 'A' }));
      return new Response(JSON.stringify([{ email: 'a@b.c', primary: true, verified: true }]));
    }) as typeof fetch;
    expect(await githubIdentity('tok', { timeoutMs: 1000, fetchFn, api: 'https://api.test' })).toMatchObject({ subject: '1', email: 'a@b.c', name: 'A' });
    expect(seen).toEqual(['https://api.test/user Bearer tok', 'https://api.test/user/emails Bearer tok']);
    const failing = (async () => new Response('no', { status: 401 })) as unknown as typeof fetch;
    await expect(githubIdentity('tok', { timeoutMs: 1000, fetchFn: failing })).rejects.toMatchObject({ code: 'LOGIN.VALIDATION_FAILED' });
  });

  it('tells GitHub being down or slow apart from a refusal', async () => {
    const down = (async () => new Response('oops', { status: 502 })) as unknown as typeof fetch;
    const gh = { id: 'gh', name: 'GitHub.com' };
    await expect(githubIdentity('tok', { timeoutMs: 1000, fetchFn: down, provider: gh })).rejects.toMatchObject({ code: 'LOGIN.PROVIDER_UNREACHABLE', status: 502, provider: 'gh' });
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    }) as unknown as typeof fetch;
    await expect(githubIdentity('tok', { timeoutMs: 1000, fetchFn: refused })).rejects.toMatchObject({ code: 'LOGIN.PROVIDER_UNREACHABLE' });
    const slow = ((_url: string, init: RequestInit) =>
      new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)))) as unknown as typeof fetch;
    await expect(githubIdentity('tok', { timeoutMs: 20, fetchFn: slow })).rejects.toMatchObject({ code: 'LOGIN.PROVIDER_TIMEOUT', status: 504 });
  });
});
