import { EntityManager } from '@mikro-orm/postgresql';
import { DirectoryEnvelope } from '@gate/events';
import { Projection } from '@gate/eventstore';

/** A small read model for tests: groups and their members, in the schema's `test_member` table. */
export function groupMembersProjection(schema: string): Projection<DirectoryEnvelope> & { create(em: EntityManager): Promise<void> } {
  const table = `"${schema}"."test_member"`;
  return {
    name: 'test-members',
    async create(em) {
      await em.execute(`create table if not exists ${table} (group_id text not null, member text not null, primary key (group_id, member))`);
    },
    async reset(em) {
      await em.execute(`delete from ${table}`);
    },
    async apply(em, event) {
      switch (event.type) {
        case 'MemberAdded':
          await em.execute(`insert into ${table} values (?, ?) on conflict do nothing`, [event.data.groupId, event.data.member]);
          break;
        case 'MemberRemoved':
          await em.execute(`delete from ${table} where group_id = ? and member = ?`, [event.data.groupId, event.data.member]);
          break;
        case 'GroupDeleted':
          await em.execute(`delete from ${table} where group_id = ?`, [event.data.groupId]);
          break;
        default:
          break;
      }
    },
  };
}
