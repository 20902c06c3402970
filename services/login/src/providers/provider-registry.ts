import { Logger } from '@nestjs/common';
import { LoginError } from '../login/login-errors';
import { OidcClient } from './oidc-client';
import { ProviderConfig } from './provider-config';

/** Connects a provider; OidcClient.connect in the service, a fake in unit tests. */
export type ConnectProvider = (provider: ProviderConfig) => Promise<OidcClient>;

/**
 * The configured providers and their discovered clients. Discovery runs in the background and is
 * retried with back-off (1 s doubling to 60 s) until it succeeds, so a provider that is down at
 * boot never stops the service: its login answers 503 until it is reachable, others work.
 */
export class ProviderRegistry {
  private readonly clients = new Map<string, OidcClient>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly log = new Logger('ProviderRegistry');

  constructor(
    readonly providers: readonly ProviderConfig[],
    private readonly connect: ConnectProvider,
    private readonly backoff = { firstMs: 1_000, maxMs: 60_000 },
  ) {}

  /** Starts discovering every provider; resolves at once (discovery continues in the background). */
  start(): void {
    for (const p of this.providers) void this.discover(p, this.backoff.firstMs);
  }

  /** Stops retrying. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The provider's config; LoginError UNKNOWN_PROVIDER when no provider has this id. */
  config(id: string): ProviderConfig {
    const p = this.providers.find((x) => x.id === id);
    if (!p) throw new LoginError('UNKNOWN_PROVIDER', 'There is no such login provider.');
    return p;
  }

  /** The discovered client; LoginError PROVIDER_UNAVAILABLE while discovery has not succeeded. */
  client(id: string): OidcClient {
    const p = this.config(id);
    const c = this.clients.get(p.id);
    if (!c) throw new LoginError('PROVIDER_UNAVAILABLE', `${p.name} cannot be reached right now. Please try again in a minute.`, p.id, 30);
    return c;
  }

  /** The discovered client or null, without throwing (logout's best effort). */
  clientOrNull(id: string): OidcClient | null {
    return this.clients.get(id) ?? null;
  }

  /** Ids of providers whose discovery has succeeded. */
  get readyIds(): string[] {
    return [...this.clients.keys()];
  }

  private async discover(p: ProviderConfig, delayMs: number): Promise<void> {
    if (this.stopped) return;
    try {
      const c = await this.connect(p);
      if (this.stopped) return;
      this.clients.set(p.id, c);
      this.log.log(`provider ${p.id} discovered at ${p.issuer}`);
    } catch (err) {
      if (this.stopped) return;
      this.log.warn(`provider ${p.id}: discovery at ${p.issuer} failed (${(err as Error).message}); retrying in ${delayMs} ms`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.discover(p, Math.min(delayMs * 2, this.backoff.maxMs));
      }, delayMs);
      this.timers.add(timer);
    }
  }
}
