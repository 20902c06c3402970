import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { readModelTables, tokenUseTable } from './directory.projection';
import { iso, type Page, type PageRequest, type TokenRecord, type TokenView } from './views';

/** Reads API tokens (never their secrets) and records their last use. */
@Injectable()
export class TokenReadModel {
  private readonly t: ReturnType<typeof readModelTables>;
  private readonly use: string;
  private readonly tokens: string;

  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {
    const schema = orm.config.get('schema') as string;
    this.t = readModelTables(schema);
    this.use = tokenUseTable(schema);
    this.tokens = `${this.t.token} t left join ${this.use} u on u.token_id = t.id`;
  }

  private query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.orm.em.fork().execute<T[]>(sql, params);
  }

  // --- tokens ------------------------------------------------------------------------------

  async listTokens(filter: { principal?: string }, page: PageRequest): Promise<Page<TokenView>> {
    const where = filter.principal ? 'where t.principal = ?' : '';
    const rows = await this.query(
      `select t.*, u.last_used_at, count(*) over () as total from ${this.tokens} ${where} order by t.created_at, t.id limit ? offset ?`,
      [...(filter.principal ? [filter.principal] : []), page.limit, page.offset],
    );
    return { items: rows.map((r) => this.tokenView(r)), total: rows.length ? Number(rows[0].total) : 0, limit: page.limit, offset: page.offset };
  }

  async getToken(id: string): Promise<TokenView | null> {
    const [row] = await this.query(`select t.*, u.last_used_at from ${this.tokens} where t.id = ?`, [id]);
    return row ? this.tokenView(row) : null;
  }

  async tokenByHash(hash: string): Promise<TokenRecord | null> {
    const [row] = await this.query(`select t.*, u.last_used_at from ${this.tokens} where t.token_hash = ?`, [hash]);
    return row ? { ...this.tokenView(row), tokenHash: row.token_hash } : null;
  }

  /**
   * Records when tokens were last used. Monotonic: a use older than the one recorded is ignored.
   * Not an event (too chatty): the read model only. Unknown ids are ignored.
   */
  async markTokensUsed(uses: readonly { tokenId: string; at: string }[]): Promise<void> {
    if (uses.length === 0) return;
    await this.query(
      `insert into ${this.use} as cur (token_id, last_used_at)
       select x.id, max(x.at) from jsonb_to_recordset(?::jsonb) as x(id text, at timestamptz)
       where exists (select 1 from ${this.t.token} t where t.id = x.id) group by x.id
       on conflict (token_id) do update set last_used_at = greatest(cur.last_used_at, excluded.last_used_at)`,
      [JSON.stringify(uses.map((u) => ({ id: u.tokenId, at: u.at })))],
    );
  }

  private tokenView(r: any): TokenView {
    return {
      id: r.id, principal: r.principal, name: r.name, expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at),
      createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), version: r.version,
    };
  }
}
