import { clearSessionCookie, loginStateCookie, sessionCookie } from './cookies';

describe('cookies', () => {
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
