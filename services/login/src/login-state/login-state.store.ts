import { MikroORM } from '@mikro-orm/postgresql';

/** One login in progress: what the callback is checked against and where the browser goes next. */
export interface LoginState {
  state: string;
  browserId: string;
  nonce: string;
  codeVerifier: string;
  provider: string;
  returnUrl: string;
}

/** At most this many logins in progress per browser; a new one evicts the oldest. */
export const MAX_STATES_PER_BROWSER = 5;

/**
 * Login states in Postgres (table `login_state` in the service's schema). Each is consumed at most
 * once: `take` deletes the row it returns, so a replayed callback finds nothing. Rows expire after
 * the TTL and are swept on every save; a browser has at most MAX_STATES_PER_BROWSER at once, and
 * several tabs each have their own row under the same browser id.
 */
export class LoginStateStore {
  private readonly table: string;

  constructor(
    private readonly orm: MikroORM,
    private readonly ttlMs: number,
  ) {
    const schema = orm.config.get('schema') as string;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    this.table = `"${schema}"."login_state"`;
  }

  /** Saves a new login state, sweeping expired rows and this browser's oldest beyond the bound. */
  async save(s: LoginState): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await em.execute(`delete from ${this.table} where expires_at <= now()`);
      await em.execute(
        `insert into ${this.table} (state, browser_id, nonce, code_verifier, provider, return_url, expires_at)
         values (?, ?, ?, ?, ?, ?, now() + (? * interval '1 millisecond'))`,
        [s.state, s.browserId, s.nonce, s.codeVerifier, s.provider, s.returnUrl, this.ttlMs],
      );
      await em.execute(
        `delete from ${this.table} where browser_id = ? and state not in (
           select state from ${this.table} where browser_id = ? order by created_at desc, state limit ?)`,
        [s.browserId, s.browserId, MAX_STATES_PER_BROWSER],
      );
    });
  }

  /**
   * Consumes the state that `state` names if it belongs to `browserId` and has not expired;
   * returns it with the number of this browser's logins still in progress, or null.
   */
  async take(state: string, browserId: string): Promise<{ state: LoginState; remaining: number } | null> {
    const em = this.orm.em.fork();
    const rows = await em.execute(
      `with taken as (delete from ${this.table} where state = ? and browser_id = ? and expires_at > now() returning *)
       select t.*, (select count(*)::int from ${this.table} o where o.browser_id = t.browser_id and o.state <> t.state and o.expires_at > now()) as remaining from taken t`,
      [state, browserId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      state: { state: r.state, browserId: r.browser_id, nonce: r.nonce, codeVerifier: r.code_verifier, provider: r.provider, returnUrl: r.return_url },
      remaining: Number(r.remaining),
    };
  }

  /** Logins in progress (not expired) across all browsers: the `login_states_outstanding` gauge. */
  async outstanding(): Promise<number> {
    const [row] = await this.orm.em.fork().execute(`select count(*)::int as n from ${this.table} where expires_at > now()`);
    return Number(row.n);
  }
}
