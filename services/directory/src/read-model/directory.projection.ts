import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { DirectoryEnvelope } from '@gate/events';
import type { Projection } from '@gate/eventstore';

/** The directory's read-model tables (see the migration), in the service's schema. */
export function readModelTables(schema: string) {
  const q = (t: string) => `"${schema}"."${t}"`;
  return {
    user: q('dir_user'),
    serviceAccount: q('dir_service_account'),
    group: q('dir_group'),
    member: q('dir_member'),
    rule: q('dir_rule'),
    token: q('dir_api_token'),
  };
}

/** When each API token was last used: not derived from events, so never reset by a rebuild. */
export function tokenUseTable(schema: string): string {
  return `"${schema}"."dir_api_token_use"`;
}

/**
 * Keeps the directory's read models in step with its events, in the append's transaction (and
 * again, event by event, when rebuilt). Each resource row carries its stream's version.
 */
@Injectable()
export class DirectoryProjection implements Projection<DirectoryEnvelope> {
  readonly name = 'directory-read-model';
  private readonly t: ReturnType<typeof readModelTables>;

  constructor(@Inject(MikroORM) orm: MikroORM) {
    this.t = readModelTables(orm.config.get('schema') as string);
  }

  async reset(em: EntityManager): Promise<void> {
    for (const table of Object.values(this.t)) await em.execute(`delete from ${table}`);
  }

  async apply(em: EntityManager, e: DirectoryEnvelope): Promise<void> {
    const { t } = this;
    const v = e.streamVersion;
    const at = e.occurredAt;
    switch (e.type) {
      case 'UserRegistered':
        await em.execute(
          `insert into ${t.user} (id, email, name, disabled, version, created_at, updated_at) values (?, ?, ?, false, ?, ?, ?)
           on conflict (id) do update set email = excluded.email, name = excluded.name, version = excluded.version, updated_at = excluded.updated_at`,
          [e.data.userId, e.data.email, e.data.name, v, at, at],
        );
        return;
      case 'UserUpdated':
        await em.execute(`update ${t.user} set name = ?, version = ?, updated_at = ? where id = ?`, [e.data.name, v, at, e.data.userId]);
        return;
      case 'UserDisabled':
      case 'UserEnabled':
        await em.execute(`update ${t.user} set disabled = ?, version = ?, updated_at = ? where id = ?`, [e.type === 'UserDisabled', v, at, e.data.userId]);
        return;
      case 'ServiceAccountCreated':
        await em.execute(`insert into ${t.serviceAccount} (id, name, version, created_at) values (?, ?, ?, ?)`, [e.data.accountId, e.data.name, v, at]);
        return;
      case 'ServiceAccountDeleted':
        await em.execute(`delete from ${t.serviceAccount} where id = ?`, [e.data.accountId]);
        return;
      case 'GroupCreated':
        await em.execute(`insert into ${t.group} (id, name, version, created_at, updated_at) values (?, ?, ?, ?, ?)`, [e.data.groupId, e.data.name, v, at, at]);
        return;
      case 'GroupRenamed':
        await em.execute(`update ${t.group} set name = ?, version = ?, updated_at = ? where id = ?`, [e.data.name, v, at, e.data.groupId]);
        return;
      case 'GroupDeleted':
        await em.execute(`delete from ${t.member} where group_id = ?`, [e.data.groupId]);
        await em.execute(`delete from ${t.group} where id = ?`, [e.data.groupId]);
        return;
      case 'MemberAdded':
        await em.execute(`insert into ${t.member} (group_id, member, added_at) values (?, ?, ?) on conflict do nothing`, [e.data.groupId, e.data.member, at]);
        await em.execute(`update ${t.group} set version = ?, updated_at = ? where id = ?`, [v, at, e.data.groupId]);
        return;
      case 'MemberRemoved':
        await em.execute(`delete from ${t.member} where group_id = ? and member = ?`, [e.data.groupId, e.data.member]);
        await em.execute(`update ${t.group} set version = ?, updated_at = ? where id = ?`, [v, at, e.data.groupId]);
        return;
      case 'RuleDefined':
      case 'RuleChanged': {
        const r = e.data.rule;
        await em.execute(
          `insert into ${t.rule} (id, priority, host, effect, rule, version, updated_at) values (?, ?, ?, ?, ?::jsonb, ?, ?)
           on conflict (id) do update set priority = excluded.priority, host = excluded.host, effect = excluded.effect,
             rule = excluded.rule, version = excluded.version, updated_at = excluded.updated_at`,
          [r.id, r.priority, r.host, r.effect, JSON.stringify(r), v, at],
        );
        return;
      }
      case 'RuleRemoved':
        await em.execute(`delete from ${t.rule} where id = ?`, [e.data.ruleId]);
        return;
      case 'ApiTokenIssued':
        await em.execute(
          `insert into ${t.token} (id, principal, name, token_hash, expires_at, created_at, version) values (?, ?, ?, ?, ?, ?, ?)`,
          [e.data.tokenId, e.data.principal, e.data.name, e.data.tokenHash, e.data.expiresAt, at, v],
        );
        return;
      case 'ApiTokenRevoked':
        await em.execute(`update ${t.token} set revoked_at = ?, version = ? where id = ?`, [at, v, e.data.tokenId]);
        return;
      default: {
        const _exhaustive: never = e;
        throw new Error(`DirectoryProjection: unhandled event ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}
