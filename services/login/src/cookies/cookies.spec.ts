import { clearSessionCookie, loginStateCookie, readCookie, sessionCookie } from './cookies';

describe('cookies', () => {
  it('reads one cookie from a Cookie header', () => {
    expect(readCookie('a=1; gate_session=k.s.m; b=2', 'gate_session')).toBe('k.s.m');
    expect(readCookie('xgate_session=1', 'gate_session')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
    expect(readCookie('a=1; a=2', 'a')).toBe('1');
  });

  it('writes the session cookie with every protective flag and its lifetime', () => {
    expect(sessionCookie('gate_session', 'k.s.m', 'example.com', 86_400_000)).toBe(
      'gate_session=k.s.m; Domain=example.com; Path=/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax',
    );
    expect(clearSessionCookie('gate_session', 'example.org')).toMatch(/^gate_session=; Domain=example\.org; Path=\/; Max-Age=0;/);
  });

  it('writes the login-state cookie as a __Host- cookie: Secure, Path=/, no Domain', () => {
    const c = loginStateCookie('b1', 600_000);
    expect(c).toBe('__Host-gate_login=b1; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax');
    expect(c).not.toMatch(/Domain/);
  });
});
