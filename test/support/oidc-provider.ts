import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { freePort } from './ports';
import { type CryptoKey, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MemoryAdapter, TEST_PROVIDER_TTL } from './oidc-memory-adapter';

// oidc-provider 9 ships no type declarations: the little of it used here is typed by hand.
interface OidcProviderInstance {
  proxy: boolean;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; params: Record<string, string>; prompt: { name: string } }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
  on(event: string, listener: (...args: unknown[]) => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Provider } = require('oidc-provider') as { Provider: new (issuer: string, config: object) => OidcProviderInstance };

/** A person the test OP logs in: `op.nextUser = { sub, email, email_verified, name, groups }`. */
export interface TestUser {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  groups?: string[];
}

/** How the token endpoint misbehaves: drops the connection, or answers only after `delayMs`. */
export type TokenEndpointFault = { kind: 'reset' } | { kind: 'slow'; delayMs: number };

/** How the test OP is set up; the client is static: `client_secret_basic`, code flow, PKCE required. */
export interface TestOidcProviderOptions {
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  clientId?: string;
  clientSecret?: string;
  /** Put the profile claims into the id_token too (default false: they come from userinfo, as with many providers). */
  claimsInIdToken?: boolean;
}

/**
 * A real OpenID provider (oidc-provider 9) on 127.0.0.1 for integration and end-to-end tests.
 * Logins need no HTML form: its interaction URL is served by this class, which logs in
 * `nextUser` (or refuses with `error=access_denied` when `denyNext` is set) and grants the scopes
 * asked for. The port is fixed at `create()`, so a test can configure the relying party before
 * the OP listens (and test a provider that is down at boot).
 */
export class TestOidcProvider {
  /** Who the next interaction logs in. */
  nextUser: TestUser = { sub: 'user-1', email: 'alice@example.test', email_verified: true, name: 'Alice', groups: ['staff'] };
  /** When true, the next interaction ends with `access_denied` (then resets). */
  denyNext = false;
  /** How many interactions (logins at the OP) have finished. */
  interactions = 0;
  /**
   * A hostile provider: while true, the token endpoint's ID tokens are signed with a key this OP
   * never published, under the `kid` of the key it does publish.
   */
  forgeIdTokens = false;
  /** While set, the token endpoint misbehaves this way (null: it answers normally). */
  tokenEndpointFault: TokenEndpointFault | null = null;

  private server: Server | null = null;
  private readonly users = new Map<string, TestUser>();
  private provider: OidcProviderInstance | null = null;

  private constructor(
    readonly port: number,
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly options: TestOidcProviderOptions,
    private readonly signingKey: CryptoKey,
    private readonly foreignKey: CryptoKey,
  ) {}

  /** Picks a free port; call `listen()` to serve. */
  static async create(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
    const [own, foreign] = await Promise.all([generateKeyPair('RS256', { extractable: true }), generateKeyPair('RS256')]);
    const secret = options.clientSecret ?? randomBytes(24).toString('base64url');
    return new TestOidcProvider(await freePort(), options.clientId ?? 'gate-login', secret, options, own.privateKey, foreign.privateKey);
  }

  /** Creates and listens at once. */
  static async start(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
    const op = await TestOidcProvider.create(options);
    await op.listen();
    return op;
  }

  /** `http://127.0.0.1:<port>`: the issuer (the RP needs OIDC_ALLOW_INSECURE_ISSUER=true). */
  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Serves the OP on its port (again, after `close()`: same issuer and keys, new sessions, like a restarted provider). */
  async listen(): Promise<void> {
    const provider = await this.buildProvider();
    this.provider = provider;
    const handler = provider.callback();
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        this.finishInteraction(req, res).catch((err: Error) => {
          res.statusCode = 500;
          res.end(err.message);
        });
      } else if (req.method === 'POST' && req.url === '/token') {
        this.serveToken(req, res, handler);
      } else {
        handler(req, res);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops serving (connections closed at once). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The token endpoint, with the faults and forgeries a test asked for. */
  private serveToken(req: IncomingMessage, res: ServerResponse, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
    const fault = this.tokenEndpointFault;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (this.forgeIdTokens) this.reSignIdToken(res);
    if (fault?.kind === 'slow') setTimeout(() => !res.destroyed && handler(req, res), fault.delayMs);
    else handler(req, res);
  }

  /** Holds back the token response and sends it with its id_token re-signed by the foreign key. */
  private reSignIdToken(res: ServerResponse): void {
    const end = res.end.bind(res) as (body: string) => ServerResponse;
    res.end = ((body: string | Buffer) => {
      void (async () => {
        const json = JSON.parse(String(body)) as { id_token?: string };
        if (json.id_token) {
          const { kid, alg } = decodeProtectedHeader(json.id_token);
          json.id_token = await new SignJWT(decodeJwt(json.id_token)).setProtectedHeader({ alg: alg!, kid }).sign(this.foreignKey);
        }
        const forged = JSON.stringify(json);
        res.setHeader('content-length', Buffer.byteLength(forged));
        end(forged);
      })();
      return res;
    }) as typeof res.end;
  }

  private async buildProvider(): Promise<OidcProviderInstance> {
    const jwk = { ...(await exportJWK(this.signingKey)), kid: 'test-op', alg: 'RS256', use: 'sig' };
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          redirect_uris: this.options.redirectUris,
          post_logout_redirect_uris: this.options.postLogoutRedirectUris ?? [],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk] },
      adapter: MemoryAdapter,
      ttl: TEST_PROVIDER_TTL,
      cookies: { keys: [randomBytes(32).toString('hex')] },
      pkce: { required: () => true },
      scopes: ['openid', 'email', 'profile', 'groups'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      conformIdTokenClaims: !this.options.claimsInIdToken,
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount: async (_ctx: unknown, sub: string) => {
        const user = this.users.get(sub);
        if (!user) return undefined;
        return { accountId: sub, claims: async () => ({ ...user, groups: user.groups ?? [] }) };
      },
      renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
        ctx.type = 'text/plain';
        ctx.body = `OP error: ${out.error}: ${out.error_description ?? ''}`;
      },
    });
    return provider;
  }

  /** Ends an interaction without a form: logs in `nextUser` and grants what was asked, or refuses. */
  private async finishInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = this.provider!;
    const details = await provider.interactionDetails(req, res);
    this.interactions++;
    if (this.denyNext) {
      this.denyNext = false;
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the test user said no' }, { mergeWithLastSubmission: false });
      return;
    }
    const user = { ...this.nextUser };
    this.users.set(user.sub, user);
    const grant = new provider.Grant({ accountId: user.sub, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: user.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }
}
