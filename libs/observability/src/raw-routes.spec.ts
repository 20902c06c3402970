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
});
