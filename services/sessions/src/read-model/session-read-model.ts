import { MikroORM } from '@mikro-orm/postgresql';
import { SessionView } from '@gate/events';
import { Inject, Injectable } from '@nestjs/common';
import { isDue } from '../session/session';
import { sessionTableIn } from './sessions.projection';

interface SessionRow {
  session_id: string;
  user_id: string;
  email: string;
  name: string;
  groups: string[];
  provider: string;
  client_ip: string | null;
  user_agent: string | null;
  started_at: Date;
  expires_at: Date;
  idle_timeout_ms: string | number | null;
  last_seen_at: Date | null;
  status: SessionView['status'];
  position: string | number;
}

/** At most this many sessions are listed at once (newest first). */
export const LIST_LIMIT = 500;

/**
 * Reads the `session` table. Status is reported as it stands at `now`: a session past its expiry
 * that the sweeper has not reached yet is already `expired` here (fail closed).
 */
@Injectable()
export class SessionReadModel {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}

  /** One session, or null for an unknown id. */
  async find(sessionId: string, now: Date): Promise<SessionView | null> {
    const [row] = await this.query<SessionRow>(`select * from ${this.table} where session_id = ?`, [sessionId]);
    return row ? toView(row, now) : null;
  }

  /** Sessions newest first: one user's, or everyone's when `userId` is null. */
  async list(userId: string | null, now: Date, onlyActive = false): Promise<SessionView[]> {
    const where = [userId === null ? 'true' : 'user_id = ?', onlyActive ? `status = 'active'` : 'true'].join(' and ');
    const rows = await this.query<SessionRow>(`select * from ${this.table} where ${where} order by started_at desc limit ${LIST_LIMIT}`, userId === null ? [] : [userId]);
    return rows.map((r) => toView(r, now));
  }

  /** Ids of the user's sessions still recorded as active (including ones past expiry). */
  async activeIdsOf(userId: string): Promise<string[]> {
    const rows = await this.query<{ session_id: string }>(`select session_id from ${this.table} where user_id = ? and status = 'active'`, [userId]);
    return rows.map((r) => r.session_id);
  }

  /** Active sessions past their absolute expiry or idle timeout at `now`, oldest expiry first. */
  async dueForExpiry(now: Date, limit: number): Promise<{ sessionId: string; lastSeenAt: Date | null }[]> {
    const rows = await this.query<{ session_id: string; last_seen_at: Date | null }>(
      `select session_id, last_seen_at from ${this.table}
       where status = 'active' and (expires_at <= ?
         or (idle_timeout_ms is not null and greatest(started_at, coalesce(last_seen_at, started_at)) + idle_timeout_ms * interval '1 millisecond' <= ?))
       order by expires_at limit ?`,
      [now, now, limit],
    );
    return rows.map((r) => ({ sessionId: r.session_id, lastSeenAt: r.last_seen_at }));
  }

  /**
   * Records last-seen times of active sessions in one statement: monotonic (never moves back) and
   * never later than `now` (a reporter's clock running ahead cannot keep a session alive).
   */
  async recordSeen(seen: { sessionId: string; at: string }[], now: Date): Promise<number> {
    if (seen.length === 0) return 0;
    const result = await this.orm.em.fork().getConnection().execute(
      `update ${this.table} s set last_seen_at = greatest(s.last_seen_at, least(v.at, ?::timestamptz))
       from (select id, max(at) as at from jsonb_to_recordset(?::jsonb) as u(id text, at timestamptz) group by id) v
       where s.session_id = v.id and s.status = 'active'`,
      [now, JSON.stringify(seen.map((s) => ({ id: s.sessionId, at: s.at })))],
      'run',
    );
    return (result as { affectedRows?: number }).affectedRows ?? 0;
  }

  /** How many sessions are active and unexpired at `now` (the `sessions_active` gauge). */
  async countActive(now: Date): Promise<number> {
    const [row] = await this.query<{ n: number }>(`select count(*)::int as n from ${this.table} where status = 'active' and expires_at > ?`, [now]);
    return row.n;
  }

  private get table(): string {
    return sessionTableIn(this.orm.config.get('schema') as string);
  }

  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.orm.em.fork().execute<T[]>(sql, params);
  }
}

function toView(r: SessionRow, now: Date): SessionView {
  const startedAt = new Date(r.started_at).toISOString();
  const expiresAt = new Date(r.expires_at).toISOString();
  const idleTimeoutMs = r.idle_timeout_ms === null ? null : Number(r.idle_timeout_ms);
  const lastSeen = r.last_seen_at === null ? null : new Date(r.last_seen_at);
  const status = r.status === 'active' && isDue({ startedAt, expiresAt, idleTimeoutMs }, now, lastSeen) ? 'expired' : r.status;
  return {
    sessionId: r.session_id,
    userId: r.user_id,
    email: r.email,
    name: r.name,
    groups: r.groups,
    provider: r.provider,
    clientIp: r.client_ip,
    userAgent: r.user_agent,
    startedAt,
    expiresAt,
    idleTimeoutMs,
    lastSeenAt: lastSeen?.toISOString() ?? null,
    status,
    position: Number(r.position),
  };
}
