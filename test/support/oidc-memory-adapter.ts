/**
 * A storage adapter for oidc-provider that keeps everything in this process's memory, with
 * expiry. oidc-provider has one built in, but warns on every start that it is for development
 * only; a test provider (and the demo's) is exactly that, so it states it by bringing its own.
 */
type Payload = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string; consumed?: number };

const store = new Map<string, { payload: Payload; expiresAt: number | null }>();

export class MemoryAdapter {
  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
  }

  async find(id: string): Promise<Payload | undefined> {
    const entry = store.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      store.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.findBy((p) => p.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.findBy((p) => p.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const found = await this.find(id);
    if (found) found.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, { payload }] of store) if (payload.grantId === grantId) store.delete(key);
  }

  private async findBy(match: (p: Payload) => boolean): Promise<Payload | undefined> {
    const prefix = `${this.model}:`;
    for (const [key, entry] of store) if (key.startsWith(prefix) && match(entry.payload)) return this.find(key.slice(prefix.length));
    return undefined;
  }
}

/** Lifetimes (seconds) of what the provider issues; stated, so it does not announce its defaults. */
export const TEST_PROVIDER_TTL = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  ClientCredentials: 600,
  DeviceCode: 600,
  BackchannelAuthenticationRequest: 600,
  Grant: 3600,
  IdToken: 3600,
  Interaction: 600,
  RefreshToken: 86400,
  Session: 86400,
};
