import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { MemoryAdapter, TEST_PROVIDER_TTL } from '../test/support/oidc-memory-adapter';

/** The people of the demo: who they are at the provider and which groups the gate gives them. */
export const DEMO_USERS = [
  { sub: 'alice', email: 'alice@gate.localhost', name: 'Alice', note: 'in admins: both apps' },
  { sub: 'bob', email: 'bob@gate.localhost', name: 'Bob', note: 'in staff: the demo app, not the admin app' },
  { sub: 'carol', email: 'carol@gate.localhost', name: 'Carol', note: 'in no group: refused everywhere' },
] as const;

// oidc-provider 9 ships no type declarations: the little of it used here is typed by hand.
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; params: Record<string, string> }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Provider: OidcProvider } = require('oidc-provider') as { Provider: new (issuer: string, config: object) => Provider };

/**
 * A development OpenID provider for the demo (oidc-provider, PKCE required, one static client),
 * on 127.0.0.1: its login page lets a person pick one of `DEMO_USERS`. Not for anything but the demo.
 */
export async function startIdentityProvider(port: number, redirectUri: string): Promise<{ issuer: string; clientId: string; clientSecret: string; close(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'gate-demo';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new OidcProvider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'demo', alg: 'RS256', use: 'sig' }] },
    adapter: MemoryAdapter,
    ttl: TEST_PROVIDER_TTL,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/pick/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = DEMO_USERS.find((u) => u.sub === sub);
      return user && { accountId: sub, claims: async () => ({ sub, email: user.email, email_verified: true, name: user.name }) };
    },
  });
  const handle = provider.callback();
  const server: Server = createServer((req, res) => {
    const pick = /^\/pick\/([\w-]+)(\/(\w+))?$/.exec(req.url ?? '');
    if (!pick) return handle(req, res);
    if (!pick[3]) return void pickPage(res, pick[1]);
    void finish(provider, req, res, pick[3]).catch((err) => res.writeHead(400).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer, clientId, clientSecret, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

function pickPage(res: ServerResponse, uid: string): void {
  const buttons = DEMO_USERS.map((u) => `<li><a class="who" href="/pick/${uid}/${u.sub}">${u.name}</a> <small>${u.email}, ${u.note}</small></li>`).join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><meta name="viewport" content="width=device-width"><title>Demo provider</title>
<style>body{font:16px system-ui;max-width:36rem;margin:3rem auto}a.who{display:inline-block;padding:.4rem 1rem;border:1px solid #555;border-radius:.4rem;margin:.3rem}</style>
<h1>Demo identity provider</h1><p>Sign in as:</p><ul>${buttons}</ul>`);
}

async function finish(provider: Provider, req: IncomingMessage, res: ServerResponse, sub: string): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (!DEMO_USERS.some((u) => u.sub === sub)) throw new Error('no such demo user');
  const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
}
