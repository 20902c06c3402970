import type { Answer } from '../forward-auth';
import { parseForwardedRequest } from '../request/forwarded-request';
import { identityOf } from '../state/identity';
import { identityHeaderNames, replyToTraefik } from './reply-to-traefik';

const parsed = parseForwardedRequest({ 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com:8443', 'x-forwarded-uri': '/a b?x=1&y=é'.replace(' ', '%20') });
const request = parsed.ok ? parsed.request : null;
const options = { authUrl: 'https://auth.example.com', names: identityHeaderNames('X-Forwarded-User') };
const identity = identityOf('ann@example.com', 'Ann@Example.com', 'Ann', ['b', 'a'], false);
const answer = (verdict: Answer['verdict'], browser = false, assertion: string | null = null): Answer => ({ verdict, request, browser, assertion });

describe('mapping an answer to HTTP for Traefik', () => {
  it('200 with identity headers (groups sorted) and the assertion; no-store', () => {
    const r = replyToTraefik(answer({ kind: 'allow', identity, via: 'session', credential: 's' }, false, 'jwt'), options);
    expect(r).toEqual({
      status: 200,
      headers: { 'cache-control': 'no-store', 'X-Forwarded-User': 'ann@example.com', 'X-Forwarded-User-Email': 'Ann@Example.com', 'X-Forwarded-User-Name': 'Ann', 'X-Forwarded-User-Groups': 'a,b', 'X-Forwarded-User-Assertion': 'jwt' },
      body: '',
    });
  });

  it('200 bare for a public rule, and no groups header when there are none', () => {
    expect(replyToTraefik(answer({ kind: 'allow', identity: null, via: 'public', credential: null }), options).headers).toEqual({ 'cache-control': 'no-store' });
    const lone = identityOf('svc:ci', '', 'CI', [], false);
    expect(Object.keys(replyToTraefik(answer({ kind: 'allow', identity: lone, via: 'token', credential: 't' }), options).headers)).toEqual(['cache-control', 'X-Forwarded-User', 'X-Forwarded-User-Name']);
  });

  it('uses the configured header names', () => {
    const r = replyToTraefik(answer({ kind: 'allow', identity, via: 'session', credential: 's' }), { ...options, names: identityHeaderNames('Remote-User') });
    expect(r.headers['Remote-User']).toBe('ann@example.com');
    expect(r.headers['Remote-User-Groups']).toBe('a,b');
  });

  it('302 to the absolute login URL with the original URL percent-encoded', () => {
    const r = replyToTraefik(answer({ kind: 'login' }, true), options);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`https://auth.example.com/login?rd=${encodeURIComponent('https://app.example.com:8443/a%20b?x=1&y=é')}`);
    expect(new URL(r.headers.location).searchParams.get('rd')).toBe('https://app.example.com:8443/a%20b?x=1&y=é');
  });

  it('401 JSON with WWW-Authenticate; 403 HTML for browsers and JSON otherwise; 400 and 503 JSON', () => {
    const u = replyToTraefik(answer({ kind: 'unauthenticated', reason: 'invalid-token' }), options);
    expect([u.status, u.headers['www-authenticate'], JSON.parse(u.body).error.code]).toEqual([401, 'Bearer realm="auth.example.com", error="invalid_token"', 'UNAUTHENTICATED']);
    const fHtml = replyToTraefik(answer({ kind: 'forbidden', reason: 'rule', identity }, true), options);
    expect([fHtml.status, fHtml.headers['content-type']]).toEqual([403, 'text/html; charset=utf-8']);
    const fJson = replyToTraefik(answer({ kind: 'forbidden', reason: 'disabled', identity }), options);
    expect([fJson.status, JSON.parse(fJson.body).error.code]).toEqual([403, 'ACCOUNT_DISABLED']);
    expect(replyToTraefik(answer({ kind: 'malformed', reason: 'invalid-host' }), options).status).toBe(400);
    expect(replyToTraefik(answer({ kind: 'unavailable', reason: 'stale' }), options).status).toBe(503);
  });

  it('never puts identity headers on anything but a 2xx, and always no-store', () => {
    const verdicts: Answer['verdict'][] = [
      { kind: 'login' },
      { kind: 'unauthenticated', reason: 'no-credential' },
      { kind: 'forbidden', reason: 'rule', identity },
      { kind: 'malformed', reason: 'x' },
      { kind: 'unavailable', reason: 'not-ready' },
    ];
    for (const v of verdicts) {
      const r = replyToTraefik(answer(v, true, 'jwt'), options);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(Object.keys(r.headers).filter((h) => h.toLowerCase().startsWith('x-forwarded-user'))).toEqual([]);
    }
  });
});
