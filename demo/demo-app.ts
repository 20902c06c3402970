import { createServer, type Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The app the demo protects: a page that shows the identity headers the gate handed it, and
 * checks the signed assertion against verify's JWKS (as an app that does not trust headers would).
 * One server for every demo host; the page says which host it was asked for.
 */
export async function startDemoApp(port: number, jwksUrl: string, issuer: string): Promise<{ close(): Promise<void> }> {
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  const server: Server = createServer((req, res) => {
    void (async () => {
      const header = (name: string) => req.headers[name.toLowerCase()] as string | undefined;
      const host = (header('host') ?? '').replace(/:\d+$/, '');
      const assertion = header('x-forwarded-user-assertion');
      let checked = 'no assertion (a public path, or the gate was bypassed)';
      if (assertion) {
        try {
          const { payload } = await jwtVerify(assertion, jwks, { issuer, audience: host });
          checked = `valid: signed by verify for ${payload.aud}, subject ${payload.sub}, expires ${new Date((payload.exp ?? 0) * 1000).toISOString()}`;
        } catch (err) {
          checked = `INVALID: ${(err as Error).message}`;
        }
      }
      const rows = ['X-Forwarded-User', 'X-Forwarded-User-Email', 'X-Forwarded-User-Name', 'X-Forwarded-User-Groups']
        .map((h) => `<tr><th>${h}</th><td data-header="${h.toLowerCase()}">${escape(header(h) ?? '—')}</td></tr>`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><meta name="viewport" content="width=device-width"><title>${escape(host)}</title>
<style>body{font:16px system-ui;max-width:44rem;margin:3rem auto}th{text-align:left;padding-right:1rem}</style>
<h1>${escape(host)}</h1><p>This app sits behind the gate. What the gate told it about you:</p>
<table>${rows}</table><p>Signed assertion: <span id="assertion">${escape(checked)}</span></p>
<p><a href="/">reload</a></p>`);
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}
