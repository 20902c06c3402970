import type { AddressInfo } from 'node:net';
import { RawRoutes } from './raw-routes';

describe('RawRoutes', () => {
  it('answers its paths (any query string) itself and hands every other path to fastify', async () => {
    const routes = new RawRoutes();
    routes.add('/fast', (_req, res) => res.end('raw'));
    const server = routes.serverFactory((_req, res) => res.end('fastify'), { keepAliveTimeout: 5000 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const bodies = await Promise.all(['/fast', '/fast?x=1', '/fast/more', '/fastx', '/'].map((p) => fetch(base + p).then((r) => r.text())));
      expect(bodies).toEqual(['raw', 'raw', 'fastify', 'fastify', 'fastify']);
      expect(server.keepAliveTimeout).toBe(5000);
      expect(routes.listener).toBe(server.listeners('request')[0]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('puts its default headers on the answers of fastify\'s paths, under the route\'s own, never on its own paths', async () => {
    const routes = new RawRoutes();
    routes.add('/fast', (_req, res) => res.writeHead(200, {}).end());
    routes.setFastifyDefaultHeader('cache-control', 'no-store');
    // What fastify does: writeHead with its reply's headers (none on a bad URL, its own on the JWKS).
    const server = routes.serverFactory((req, res) => res.writeHead(200, req.url === '/own' ? { 'cache-control': 'max-age=60' } : {}).end(), {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const headers = await Promise.all(['/other', '/own', '/fast'].map((p) => fetch(base + p).then((r) => r.headers.get('cache-control'))));
      expect(headers).toEqual(['no-store', 'max-age=60', null]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
