import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VerifyWorld } from './verify-harness';

// What only a real socket shows: keep-alive with unread bodies, node's header limit, bytes that are
// not UTF-8, requests node's parser refuses, and the answers of fastify's routes beside /verify.
// (The contract tests inject requests through the server's request listener.)
describe('verify over the wire', () => {
  let world: VerifyWorld;
  let app: NestFastifyApplication;
  let ann: Awaited<ReturnType<VerifyWorld['startSession']>>;

  beforeAll(async () => {
    world = await VerifyWorld.create();
    await world.rule({ id: 'everyone', host: 'app.example.com', effect: 'allow' });
    ann = await world.startSession('ann@example.com');
    app = await world.boot();
  });
  afterAll(() => world.destroy());

  it('keeps a connection alive across requests whose bodies it never reads', async () => {
    const port = await listen(app);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { 'x-forwarded-method': 'POST', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/upload', cookie: ann.cookie };
    const sockets = new Set<unknown>();
    const statuses: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const body = 'x'.repeat(200_000);
        statuses.push(
          await new Promise<number>((resolve, reject) => {
            const req = httpRequest({ host: '127.0.0.1', port, path: '/verify', method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode!));
            });
            req.on('socket', (socket) => sockets.add(socket));
            req.on('error', reject);
            req.end(body);
          }),
        );
      }
    } finally {
      agent.destroy();
    }
    expect([statuses, sockets.size]).toEqual([[200, 200, 200], 1]);
  });

  it('431 JSON for request headers over 16 KB, with no-store, and closes the connection', async () => {
    const port = await listen(app);
    const res = await exchange(port, `GET /verify HTTP/1.1\r\nhost: verify\r\n${FORWARDED}x-forwarded-uri: /\r\ncookie: pad=${'x'.repeat(17 * 1024)}\r\n\r\n`);
    expect([res.status, res.headers['cache-control'], res.headers['content-type'], res.headers.connection]).toEqual([431, 'no-store', 'application/json; charset=utf-8', 'close']);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) } });
  });

  it('answers what node\'s HTTP parser refuses with verify\'s own 400 (JSON, no-store), closes, and serves the next connection', async () => {
    const port = await listen(app);
    const request = (lines: string) => `GET /verify HTTP/1.1\r\nhost: verify\r\n${FORWARDED}${lines}\r\n`;
    // Verify's 400 for a malformed X-Forwarded-Uri, for comparison.
    const own = await exchange(port, request('x-forwarded-uri: admin\r\nconnection: close\r\n'));
    expect([own.status, JSON.parse(own.body).error.code]).toEqual([400, 'MALFORMED_FORWARDED_REQUEST']);
    const refused: Record<string, string> = {
      'a NUL in a header value': request('x-forwarded-uri: /a\0b\r\n'),
      'a control byte in a header value': request('x-forwarded-uri: /\r\ncookie: a=\x01\r\n'),
      'a NUL in a header name': request('x-forwarded-uri: /\r\nx-forw\0arded-user: admin\r\n'),
      'a space in a header name': request('x-forwarded-uri: /\r\nx forwarded user: admin\r\n'),
      'a garbage request line': '\x16\x03\x01\x02\x00 garbage\r\n\r\n',
    };
    for (const [what, bytes] of Object.entries(refused)) {
      const res = await exchange(port, bytes);
      expect([what, res.status, res.headers['cache-control'], res.headers['content-type'], res.headers.connection]).toEqual([what, 400, 'no-store', own.headers['content-type'], 'close']);
      expect([what, JSON.parse(res.body)]).toEqual([what, { error: { code: 'MALFORMED_FORWARDED_REQUEST', message: expect.stringMatching(/^malformed forwarded request: /) } }]);
      const next = await exchange(port, request(`x-forwarded-uri: /\r\ncookie: ${ann.cookie}\r\nconnection: close\r\n`));
      expect([what, next.status, next.headers['x-forwarded-user']]).toEqual([what, 200, 'ann@example.com']);
    }
  });

  it('no-store on the answers of fastify\'s routes too (404s, health, metrics); the JWKS stays cacheable', async () => {
    const base = `http://127.0.0.1:${await listen(app)}`;
    const answers = await Promise.all(
      ['/', '/verify/', '/verifyx', '/%zz', '/healthz', '/readyz', '/metrics', '/.well-known/jwks.json'].map(async (path) => {
        const res = await fetch(base + path);
        await res.arrayBuffer();
        return [path, res.status, res.headers.get('cache-control')];
      }),
    );
    expect(answers).toEqual([
      ['/', 404, 'no-store'],
      ['/verify/', 404, 'no-store'],
      ['/verifyx', 404, 'no-store'],
      ['/%zz', 400, 'no-store'],
      ['/healthz', 200, 'no-store'],
      ['/readyz', 200, 'no-store'],
      ['/metrics', 200, 'no-store'],
      ['/.well-known/jwks.json', 200, 'public, max-age=60'],
    ]);
  });

  it('non-UTF-8 bytes on the wire', async () => {
    const port = await listen(app);
    const res = await rawGet(port, { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/', accept: 'text/html', cookie: Buffer.from([0x67, 0x61, 0x74, 0x65, 0x5f, 0x73, 0x65, 0x73, 0x73, 0x69, 0x6f, 0x6e, 0x3d, 0xc3, 0x28, 0xff, 0xfe]).toString('latin1') });
    expect(res.status).toBe(302);
  });
});

async function listen(app: NestFastifyApplication): Promise<number> {
  const server = app.getHttpServer();
  if (!server.listening) await app.listen(0, '127.0.0.1');
  return (server.address() as { port: number }).port;
}

const FORWARDED = 'x-forwarded-method: GET\r\nx-forwarded-proto: https\r\nx-forwarded-host: app.example.com\r\n';

/** Writes `bytes` on a new connection and reads the answer until the server closes the connection. */
function exchange(port: number, bytes: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes, 'latin1'));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...body] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const raw = body.join('\r\n\r\n');
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: headers['transfer-encoding'] === 'chunked' ? unchunk(raw) : raw });
    });
  });
}

function unchunk(raw: string): string {
  let body = '';
  for (let at = 0, size = parseInt(raw, 16); size > 0; size = parseInt(raw.slice(at), 16)) {
    const start = raw.indexOf('\r\n', at) + 2;
    body += raw.slice(start, start + size);
    at = start + size + 2;
  }
  return body;
}

function rawGet(port: number, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/verify', headers, insecureHTTPParser: true }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
