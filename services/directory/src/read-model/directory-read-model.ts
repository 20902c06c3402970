import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { compareRules, hostMatches, normalizeHost, parseHostPattern, type AccessRule } from '@gate/access-rules';
import { readModelTables } from './directory.projection';
import { iso, type GroupView, type Page, type PageRequest, type RuleView, type ServiceAccountView, type UserView } from './views';

export type * from './views';


/** Reads users, service accounts, groups and rules from the read models (written by `DirectoryProjection`). */
@Injectable()
export class DirectoryReadModel {
  private readonly t: ReturnType<typeof readModelTables>;

  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {
    this.t = readModelTables(orm.config.get('schema') as string);
  }

  private query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.orm.em.fork().execute<T[]>(sql, params);
  }

  // --- users -------------------------------------------------------------------------------

  async listUsers(filter: { q?: string; group?: string }, page: PageRequest): Promise<Page<UserView>> {
    const { where, params } = this.principalFilter('u', filter);
    const rows = await this.query(
      `select u.*, count(*) over () as total from ${this.t.user} u ${where} order by u.id limit ? offset ?`,
      [...params, page.limit, page.offset],
    );
    return this.page(await Promise.all(rows.map((r) => this.userView(r))), rows, page);
  }

  async getUser(id: string): Promise<UserView | null> {
    const [row] = await this.query(`select * from ${this.t.user} where id = ?`, [id]);
    return row ? this.userView(row) : null;
  }

  // --- service accounts --------------------------------------------------------------------

  async listServiceAccounts(filter: { q?: string; group?: string }, page: PageRequest): Promise<Page<ServiceAccountView>> {
    const { where, params } = this.principalFilter('a', filter);
    const rows = await this.query(
      `select a.*, count(*) over () as total from ${this.t.serviceAccount} a ${where} order by a.id limit ? offset ?`,
      [...params, page.limit, page.offset],
    );
    return this.page(await Promise.all(rows.map((r) => this.accountView(r))), rows, page);
  }

  async getServiceAccount(id: string): Promise<ServiceAccountView | null> {
    const [row] = await this.query(`select * from ${this.t.serviceAccount} where id = ?`, [id]);
    return row ? this.accountView(row) : null;
  }

  // --- groups ------------------------------------------------------------------------------

  async listGroups(filter: { q?: string; member?: string }, page: PageRequest): Promise<Page<GroupView>> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.q) {
      clauses.push(`(g.id ilike ? or g.name ilike ?)`);
      params.push(`%${filter.q}%`, `%${filter.q}%`);
    }
    if (filter.member) {
      clauses.push(`exists (select 1 from ${this.t.member} m where m.group_id = g.id and m.member = ?)`);
      params.push(filter.member);
    }
    const where = clauses.length ? `where ${clauses.join(' and ')}` : '';
    const rows = await this.query(
      `select g.*, count(*) over () as total from ${this.t.group} g ${where} order by g.id limit ? offset ?`,
      [...params, page.limit, page.offset],
    );
    return this.page(await Promise.all(rows.map((r) => this.groupView(r))), rows, page);
  }

  async getGroup(id: string): Promise<GroupView | null> {
    const [row] = await this.query(`select * from ${this.t.group} where id = ?`, [id]);
    return row ? this.groupView(row) : null;
  }

  /** The ids among `ids` that name no group. */
  async missingGroups(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.query<{ id: string }>(`select id from ${this.t.group} where id in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(ids)]);
    const found = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !found.has(id));
  }

  /** The groups a principal (user id or `svc:` id) is a member of, sorted. */
  async groupsOf(principal: string): Promise<string[]> {
    const rows = await this.query<{ group_id: string }>(`select group_id from ${this.t.member} where member = ? order by group_id`, [principal]);
    return rows.map((r) => r.group_id);
  }

  // --- rules -------------------------------------------------------------------------------

  /** Every rule, in evaluation order. */
  async allRules(): Promise<RuleView[]> {
    const rows = await this.query(`select * from ${this.t.rule}`);
    return rows.map((r) => ({ ...(r.rule as AccessRule), version: r.version, updatedAt: iso(r.updated_at)! })).sort(compareRules);
  }

  /** Rules in evaluation order, optionally only those covering `host` or naming a group or user. */
  async listRules(filter: { host?: string; group?: string; user?: string }, page: PageRequest): Promise<Page<RuleView>> {
    let rules = await this.allRules();
    if (filter.host !== undefined) {
      const host = normalizeHost(filter.host);
      rules = host === null ? [] : rules.filter((r) => coversHost(r.host, host));
    }
    if (filter.group) rules = rules.filter((r) => r.subjects?.groups?.includes(filter.group!));
    if (filter.user) rules = rules.filter((r) => r.subjects?.users?.includes(filter.user!.toLowerCase()));
    return { items: rules.slice(page.offset, page.offset + page.limit), total: rules.length, limit: page.limit, offset: page.offset };
  }

  async getRule(id: string): Promise<RuleView | null> {
    const [row] = await this.query(`select * from ${this.t.rule} where id = ?`, [id]);
    return row ? { ...(row.rule as AccessRule), version: row.version, updatedAt: iso(row.updated_at)! } : null;
  }

  // --- principals --------------------------------------------------------------------------

  /** Whether a user or service account exists, and whether it is disabled. */
  async principal(id: string): Promise<{ exists: boolean; disabled: boolean }> {
    if (id.startsWith('svc:')) return { exists: (await this.getServiceAccount(id)) !== null, disabled: false };
    const [row] = await this.query<{ disabled: boolean }>(`select disabled from ${this.t.user} where id = ?`, [id]);
    return { exists: row !== undefined, disabled: row?.disabled ?? false };
  }

  // --- mapping -----------------------------------------------------------------------------

  private principalFilter(alias: string, filter: { q?: string; group?: string }) {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.q) {
      clauses.push(alias === 'u' ? `(u.id ilike ? or u.name ilike ?)` : `(a.id ilike ? or a.name ilike ?)`);
      params.push(`%${filter.q}%`, `%${filter.q}%`);
    }
    if (filter.group) {
      clauses.push(`exists (select 1 from ${this.t.member} m where m.member = ${alias}.id and m.group_id = ?)`);
      params.push(filter.group);
    }
    return { where: clauses.length ? `where ${clauses.join(' and ')}` : '', params };
  }

  private page<T>(items: T[], rows: { total?: string | number }[], page: PageRequest): Page<T> {
    return { items, total: rows.length ? Number(rows[0].total) : 0, limit: page.limit, offset: page.offset };
  }

  private async userView(r: any): Promise<UserView> {
    return {
      id: r.id, email: r.email, name: r.name, disabled: r.disabled, groups: await this.groupsOf(r.id),
      version: r.version, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
    };
  }

  private async accountView(r: any): Promise<ServiceAccountView> {
    return { id: r.id, name: r.name, groups: await this.groupsOf(r.id), version: r.version, createdAt: iso(r.created_at)! };
  }

  private async groupView(r: any): Promise<GroupView> {
    const members = await this.query<{ member: string }>(`select member from ${this.t.member} where group_id = ? order by member`, [r.id]);
    return { id: r.id, name: r.name, members: members.map((m) => m.member), version: r.version, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)! };
  }
}

/** True when a stored rule's host pattern covers `host`; a pattern the engine cannot parse covers none. */
function coversHost(pattern: string, host: string): boolean {
  try {
    return hostMatches(parseHostPattern(pattern), host);
  } catch {
    return false;
  }
}
