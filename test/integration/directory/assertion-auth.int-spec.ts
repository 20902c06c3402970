import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AssertionSigner, generateAssertionKey, loadAssertionKeys } from '@gate/identity-assertion';
import { TestNatsServer } from '../../support/nats-server';
import { bootDirectory, dropSchema, freshSchemaName } from './boot-directory';

const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'admin.example.com';

describe("the admin API accepts verify's signed assertion as a second way in", () => {
  let nats: TestNatsServer;
  let app: NestFastifyApplication;
  let jwksServer: Server;
  const schema = freshSchemaName();
  const signer = new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('k1')])), ISSUER);
  const forger = new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('k1')])), ISSUER);

  beforeAll(async () => {
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(signer.jwks())));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    nats = await TestNatsServer.start();
    app = await bootDirectory({
      DATABASE_SCHEMA: schema,
      ...nats.env('directory'),
      ADMIN_EMAILS: 'root@example.com',
      ASSERTION_ISSUER: ISSUER,
      ASSERTION_JWKS_URL: jwksUrl,
      ASSERTION_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(async () => {
    await app?.close();
    await dropSchema(schema);
    await nats.destroy();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  const withAssertion = (assertion: string, url = '/api/directory/groups') =>
    app.inject({ method: 'GET', url, headers: { 'x-forwarded-user-assertion': assertion } });
  const claims = (sub: string, groups: string[] = []) => ({ sub, email: sub, name: sub, groups });

  it('lets in an admin of the directory with a valid assertion', async () => {
    const res = await withAssertion(signer.sign(claims('root@example.com'), AUDIENCE));
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((g: { id: string }) => g.id)).toEqual(['admins']);
    const me = await withAssertion(signer.sign(claims('root@example.com'), AUDIENCE), '/api/directory/me');
    expect(me.json()).toMatchObject({ id: 'root@example.com', via: 'assertion', admin: true });
  });

  it('takes admin rights from the directory, never from the assertion\'s groups claim', async () => {
    const res = await withAssertion(signer.sign(claims('eve@example.com', ['admins']), AUDIENCE));
    expect(res.statusCode).toBe(403);
  });

  it('refuses a forged, expired or misdirected assertion with 401', async () => {
    expect((await withAssertion(forger.sign(claims('root@example.com'), AUDIENCE))).statusCode).toBe(401);
    expect((await withAssertion(signer.sign(claims('root@example.com'), 'other.example.com'))).statusCode).toBe(401);
    const longAgo = Math.floor(Date.now() / 1000) - 3600;
    expect((await withAssertion(signer.sign(claims('root@example.com'), AUDIENCE, longAgo))).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/directory/groups', headers: { 'x-forwarded-user': 'root@example.com' } })).statusCode).toBe(401);
  });
});
