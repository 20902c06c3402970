import { Agent, request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VerifyWorld } from './verify-harness';

// What only a real socket shows: keep-alive with unread bodies, node's header limit, and bytes that
// are not UTF-8. (The contract tests inject requests through the server's request listener.)
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

  it('431 for request headers over 16 KB, with no-store', async () => {
    const port = await listen(app);
    const res = await rawGet(port, { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/', cookie: `pad=${'x'.repeat(17 * 1024)}` });
    expect([res.status, res.headers['cache-control']]).toEqual([431, 'no-store']);
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
