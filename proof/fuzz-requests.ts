/** A small seeded PRNG (mulberry32): the same seed gives the same requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generated forwardAuth request: its headers (a value may repeat), and the cookies it presents. */
export interface FuzzRequest {
  readonly headers: Record<string, string | string[]>;
  /** The session-cookie values it carries, in order. */
  readonly cookies: readonly string[];
}

const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'DELETE', 'PUT', 'OPTIONS', 'get', 'GETz', 'G3T', 'X'.repeat(21), 'PATCH'];
const PROTOS = ['https', 'https', 'https', 'https', 'https', 'http', 'ws', 'wss', 'ftp', 'HTTPS', 'https '];
const HOSTS = [
  'app.fuzz.test', 'app.fuzz.test', 'APP.Fuzz.Test.', 'app.fuzz.test:8443', 'a.b.fuzz.test', 'x.fuzz.test', 'fuzz.test', 'evil-fuzz.test',
  'app.fuzz.test.evil.net', 'other.fuzz.test', 'OTHER.fuzz.test', '127.0.0.1', '[::1]', 'user@app.fuzz.test', 'app fuzz.test', 'app.fuzz.test/x', 'app..fuzz.test',
];
const SEGMENTS = [
  'public', 'admin', 'ADMIN', 'api', 'Docs', 'docs', 'x', '..', '.', '%2e%2e', '%2E', '%2F', '%2f', '..;', '.;', '%5C', '\\', '%00', '%23', '#', 'a;b=c', '%',
  '%zz', 'é', '%C3%A9', '', '~', "'", '%252e%252e', 'public%2F..%2Fadmin', '?', '?q=/admin', 'adminx', 'admin.', '*',
];
const CLEAN_URIS = ['/', '/public', '/public/x?y=1', '/admin', '/admin/users', '/api', '/api/x', '/Docs/a', '/docs', '/x/y', '/public/../admin', '//admin', '/public/%2e%2e/admin', '/api/../public'];
const JUNK: [string, string][] = [
  ['forwarded', 'host=app.fuzz.test;proto=https;for=1.2.3.4'], ['x-original-url', '/admin'], ['x-forwarded-prefix', '/admin'], ['x-real-ip', '10.0.0.1'],
  ['x_forwarded_host', 'other.fuzz.test'], ['x-forwarded-user', 'ann@fuzz.test'], ['x-forwarded-user-groups', 'admins'], ['x-original-host', 'app.fuzz.test'],
];
const ACCEPTS = ['text/html,application/xhtml+xml', '*/*', 'application/json', 'text/html;q=0', undefined];

/**
 * The `index`-th request of a run: a forwarded request Traefik could send, mutated at random
 * (methods, protos, hosts and paths that are odd or malformed; headers missing, repeated or
 * comma-joined; headers verify must ignore; any mix of cookies from `cookiePool`).
 */
export function fuzzRequest(random: () => number, cookiePool: readonly string[]): FuzzRequest {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const segments = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(SEGMENTS));
  let uri = random() < 0.5 ? pick(CLEAN_URIS) : `/${segments.join('/')}`;
  if (random() < 0.05) uri = uri.slice(1);
  if (random() < 0.02) uri = `/${'a/'.repeat(600)}`;
  const headers: Record<string, string | string[]> = {
    'x-forwarded-method': pick(METHODS),
    'x-forwarded-proto': pick(PROTOS),
    'x-forwarded-host': pick(HOSTS),
    'x-forwarded-uri': uri,
    'x-forwarded-for': '203.0.113.9',
  };
  const forwarded = ['x-forwarded-method', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-uri'];
  const mutate = random();
  if (mutate < 0.04) delete headers[pick(forwarded)];
  else if (mutate < 0.08) headers[pick(forwarded)] = '';
  else if (mutate < 0.12) {
    const name = pick(forwarded);
    headers[name] = [headers[name] as string, pick(['other.fuzz.test', '/admin', 'POST', 'http'])];
  } else if (mutate < 0.15) {
    const name = pick(forwarded);
    headers[name] = `${headers[name]}, ${pick(['other.fuzz.test', '/admin', 'POST', 'http'])}`;
  }
  for (const [name, value] of JUNK) if (random() < 0.06) headers[name] = value;
  const accept = pick(ACCEPTS);
  if (accept) headers.accept = accept;
  if (random() < 0.05) headers['x-requested-with'] = 'XMLHttpRequest';
  const cookies = Array.from({ length: Math.floor(random() * 4) }, () => pick(cookiePool));
  if (cookies.length > 0) {
    const parts = cookies.map((c) => (random() < 0.1 ? `gate_session="${c}"` : `gate_session=${c}`));
    if (random() < 0.3) parts.splice(Math.floor(random() * parts.length), 0, 'theme=dark');
    headers.cookie = random() < 0.1 ? parts : parts.join('; ');
  }
  return { headers, cookies };
}
