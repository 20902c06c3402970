import { SERVICE_CONFIG } from '@gate/config';
import { loginEvents } from '@gate/events';
import { EVENT_STORE, EventStore, EventStoreModule } from '@gate/eventstore';
import { MessagingModule, NATS_CLIENT } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ClientProxy } from '@nestjs/microservices';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { RecordedLoginOutcomes } from './audit/login-outcomes';
import type { LoginConfig } from './config';
import { LoginController } from './http/login.controller';
import { CompleteLogin } from './login/complete-login';
import { StartLogin } from './login/start-login';
import { LoginStateStore } from './login-state/login-state.store';
import { Migration20261123100000LoginState } from './login-state/Migration20261123100000LoginState';
import { Logout } from './logout/logout';
import { OidcClient } from './providers/oidc-client';
import { ProviderRegistry } from './providers/provider-registry';
import { LOGIN_RATE_LIMIT, LoginRateLimit, LoginRateLimitGuard } from './rate-limit/login-rate-limit.guard';
import { TokenBuckets } from './rate-limit/token-bucket';
import { SessionsClient } from './sessions-client/sessions-client';

/**
 * Starts provider discovery when the app starts (in the background: a provider that is down never
 * stops the boot; its login answers 503 until discovered) and accepts the logout form's body.
 * `/readyz` does not wait for discovery: login serves the other providers and a clear 503 page.
 */
@Injectable()
class LoginLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && !fastify.hasContentTypeParser('application/x-www-form-urlencoded')) {
      fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => done(null, body));
    }
    this.registry.start();
  }

  onApplicationShutdown(): void {
    this.registry.stop();
  }
}

const callbackUrlOf = (c: LoginConfig) => `${c.AUTH_URL}/callback`;

/** The login service: OIDC login and logout on the auth host, login state in its schema, audit events. */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'login' }),
    MessagingModule.forService('login'),
    EventStoreModule.forRoot({ catalog: loginEvents, migrations: [Migration20261123100000LoginState] }),
  ],
  controllers: [LoginController],
  providers: [
    {
      provide: ProviderRegistry,
      inject: [SERVICE_CONFIG],
      useFactory: (c: LoginConfig) => {
        const connection = { allowInsecure: c.OIDC_ALLOW_INSECURE_ISSUER, timeoutMs: c.OIDC_TIMEOUT };
        return new ProviderRegistry(c.OIDC_PROVIDERS, (p) => OidcClient.connect(p, connection));
      },
    },
    { provide: LoginStateStore, inject: [MikroORM, SERVICE_CONFIG], useFactory: (orm: MikroORM, c: LoginConfig) => new LoginStateStore(orm, c.LOGIN_STATE_TTL) },
    { provide: SessionsClient, inject: [NATS_CLIENT], useFactory: (client: ClientProxy) => new SessionsClient(client) },
    {
      provide: RecordedLoginOutcomes,
      inject: [EVENT_STORE, Registry, SERVICE_CONFIG, LoginStateStore],
      useFactory: (store: EventStore<typeof loginEvents.definitions>, registry: Registry, c: LoginConfig, states: LoginStateStore) =>
        new RecordedLoginOutcomes(store, registry, c.OIDC_PROVIDERS.map((p) => p.id), () => states.outstanding()),
    },
    {
      provide: StartLogin,
      inject: [ProviderRegistry, LoginStateStore, SERVICE_CONFIG],
      useFactory: (registry: ProviderRegistry, states: LoginStateStore, c: LoginConfig) =>
        new StartLogin(registry, states, { callbackUrl: callbackUrlOf(c), cookieDomains: c.COOKIE_DOMAINS, defaultRedirectUrl: c.DEFAULT_REDIRECT_URL, loginStateTtlMs: c.LOGIN_STATE_TTL }),
    },
    {
      provide: CompleteLogin,
      inject: [ProviderRegistry, LoginStateStore, SessionsClient, RecordedLoginOutcomes, SERVICE_CONFIG],
      useFactory: (registry: ProviderRegistry, states: LoginStateStore, sessions: SessionsClient, outcomes: RecordedLoginOutcomes, c: LoginConfig) =>
        new CompleteLogin(registry, states, sessions, outcomes, {
          callbackUrl: callbackUrlOf(c),
          cookieDomains: c.COOKIE_DOMAINS,
          keyring: c.SESSION_KEYS,
          sessionCookieName: c.SESSION_COOKIE_NAME,
          sessionLifetimeMs: c.SESSION_LIFETIME,
        }),
    },
    {
      provide: Logout,
      inject: [ProviderRegistry, SessionsClient, SERVICE_CONFIG],
      useFactory: (registry: ProviderRegistry, sessions: SessionsClient, c: LoginConfig) =>
        new Logout(registry, sessions, {
          authOrigin: new URL(c.AUTH_URL).origin,
          cookieDomains: c.COOKIE_DOMAINS,
          keyring: c.SESSION_KEYS,
          sessionCookieName: c.SESSION_COOKIE_NAME,
          logoutRedirectUrl: c.LOGOUT_REDIRECT_URL,
        }),
    },
    {
      provide: LOGIN_RATE_LIMIT,
      inject: [SERVICE_CONFIG],
      useFactory: (c: LoginConfig): LoginRateLimit => ({ buckets: new TokenBuckets(c.RATE_LIMIT_LOGIN.count, c.RATE_LIMIT_LOGIN.perMs), trustProxy: c.TRUST_PROXY }),
    },
    LoginRateLimitGuard,
    LoginLifecycle,
  ],
})
export class LoginModule {}
