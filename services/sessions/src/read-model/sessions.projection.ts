import { EntityManager } from '@mikro-orm/postgresql';
import { SessionsEnvelope } from '@gate/events';
import { Projection } from '@gate/eventstore';
import { Injectable } from '@nestjs/common';

/**
 * Keeps the `session` table in step with the log, inside the append's transaction. `position` is
 * the position of the session's latest event (verify applies lookups by it). An ending is final:
 * a revocation or expiry never overwrites an earlier one. Last-seen times are not events and
 * survive only until a rebuild (they are a hint, not history).
 */
@Injectable()
export class SessionsProjection implements Projection<SessionsEnvelope> {
  readonly name = 'sessions';

  async apply(em: EntityManager, event: SessionsEnvelope): Promise<void> {
    const table = sessionTable(em);
    switch (event.type) {
      case 'SessionStarted': {
        const d = event.data;
        await em.execute(
          `insert into ${table} (session_id, user_id, email, name, "groups", provider, client_ip, user_agent, started_at, expires_at, idle_timeout_ms, status, position)
           values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, 'active', ?)`,
          [d.sessionId, d.userId, d.email, d.name, JSON.stringify(d.groups), d.provider, d.clientIp, d.userAgent, d.startedAt, d.expiresAt, d.idleTimeoutMs, event.position],
        );
        return;
      }
      case 'SessionRevoked':
        await this.end(em, event.data.sessionId, 'revoked', event.data.revokedAt, event.data.reason, event.position);
        return;
      case 'SessionExpired':
        await this.end(em, event.data.sessionId, 'expired', event.data.expiredAt, null, event.position);
        return;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  async reset(em: EntityManager): Promise<void> {
    await em.execute(`delete from ${sessionTable(em)}`);
  }

  private async end(em: EntityManager, sessionId: string, status: 'revoked' | 'expired', at: string, reason: string | null, position: number): Promise<void> {
    await em.execute(
      `update ${sessionTable(em)} set status = case when status = 'active' then ? else status end,
         ended_at = coalesce(ended_at, ?), end_reason = case when status = 'active' then ? else end_reason end, position = ?
       where session_id = ?`,
      [status, at, reason, position, sessionId],
    );
  }
}

/** The quoted `session` table of the schema `em` works in. */
export function sessionTable(em: EntityManager): string {
  return sessionTableIn(em.config.get('schema') as string);
}

/** The quoted `session` table of `schema`. */
export function sessionTableIn(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`unsafe schema name ${schema}`);
  return `"${schema}"."session"`;
}
