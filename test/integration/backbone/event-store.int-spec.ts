import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { DirectoryEvent, directoryEvents, InvalidEventError } from '@gate/events';
import { ConcurrencyError, Decider, EventStore, handleCommand, rebuildProjection } from '@gate/eventstore';
import { freshSchema, sql } from '../../support/postgres';
import { groupMembersProjection } from '../../support/group-members.projection';

const meta = () => ({ actor: 'admin@example.com', correlationId: randomUUID(), occurredAt: new Date('2026-11-23T10:00:00Z') });
const added = (groupId: string, member: string): DirectoryEvent => ({ type: 'MemberAdded', data: { groupId, member } });

describe('EventStore on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshSchema>>;
  let orm: MikroORM;
  let store: EventStore<typeof directoryEvents.definitions>;
  let members: ReturnType<typeof groupMembersProjection>;

  beforeEach(async () => {
    db = await freshSchema('es');
    orm = db.orm;
    members = groupMembersProjection(db.schema);
    await members.create(orm.em.fork());
    store = new EventStore(orm, directoryEvents, [members]);
  });
  afterEach(() => db.drop());

  const memberRows = () => sql(`select group_id, member from "${db.schema}".test_member order by 1, 2`);

  it('appends events with versions and gap-free positions and reads them back', async () => {
    const a = await store.append('group:g1', 0, [{ type: 'GroupCreated', data: { groupId: 'g1', name: 'One' } }, added('g1', 'a@x.io')], meta());
    const b = await store.append('group:g2', 0, [{ type: 'GroupCreated', data: { groupId: 'g2', name: 'Two' } }], meta());
    expect(a.map((e) => [e.streamVersion, e.position])).toEqual([[1, 1], [2, 2]]);
    expect(b[0].position).toBe(3);
    const read = await store.readStream('group:g1');
    expect(read.map((e) => e.type)).toEqual(['GroupCreated', 'MemberAdded']);
    expect(read[1]).toEqual(a[1]);
    expect((await store.readAll(1)).map((e) => e.position)).toEqual([2, 3]);
    expect(await store.headPosition()).toBe(3);
  });

  it('rejects an append with a stale expected version and writes nothing, read model included', async () => {
    await store.append('group:g1', 0, [{ type: 'GroupCreated', data: { groupId: 'g1', name: 'One' } }], meta());
    await store.append('group:g1', 1, [added('g1', 'a@x.io')], meta());
    const before = await sql(`select * from "${db.schema}".event order by position`);

    const stale = store.append('group:g1', 1, [added('g1', 'mallory@x.io'), added('g1', 'eve@x.io')], meta());
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(stale).rejects.toMatchObject({ code: 'EVENTSTORE.CONCURRENCY', expected: 1, actual: 2 });

    expect(await sql(`select * from "${db.schema}".event order by position`)).toEqual(before);
    expect(await memberRows()).toEqual([{ group_id: 'g1', member: 'a@x.io' }]);
  });

  it('lets exactly one of two concurrent writers at the same version win', async () => {
    await store.append('group:g1', 0, [{ type: 'GroupCreated', data: { groupId: 'g1', name: 'One' } }], meta());
    const results = await Promise.allSettled([
      store.append('group:g1', 1, [added('g1', 'a@x.io')], meta()),
      store.append('group:g1', 1, [added('g1', 'b@x.io')], meta()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('group:g1')).toHaveLength(2);
  });

  it('appends from many concurrent writers to one stream with `any`, none lost, versions 1..n', async () => {
    const writes = Array.from({ length: 40 }, (_, i) => store.append('group:busy', 'any', [added('busy', `w${i}@x.io`)], meta()));
    await Promise.all(writes);
    const stream = await store.readStream('group:busy');
    expect(stream.map((e) => e.streamVersion)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const positions = stream.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('refuses an invalid event before writing anything', async () => {
    const bad = { type: 'MemberAdded', data: { groupId: 'g1', member: 'Not An Email' } } as unknown as DirectoryEvent;
    await expect(store.append('group:g1', 'any', [added('g1', 'ok@x.io'), bad], meta())).rejects.toBeInstanceOf(InvalidEventError);
    expect(await store.headPosition()).toBe(0);
  });

  it('upcasts an old v1 event when it is read back', async () => {
    await sql(
      `insert into "${db.schema}".event (id, stream_id, stream_version, type, schema_version, data, actor, correlation_id, occurred_at)
       values ($1, 'user:bob@x.io', 1, 'UserRegistered', 1, $2, 'system', 'c', now())`,
      [randomUUID(), JSON.stringify({ email: 'Bob@X.io', displayName: 'Bob' })],
    );
    const [event] = await store.readStream('user:bob@x.io');
    expect(event).toMatchObject({ type: 'UserRegistered', version: 2, data: { userId: 'bob@x.io', name: 'Bob' } });
  });

  it('rebuilds a projection from the events into exactly the live read model', async () => {
    await store.append('group:g1', 0, [{ type: 'GroupCreated', data: { groupId: 'g1', name: 'One' } }], meta());
    await store.append('group:g2', 0, [{ type: 'GroupCreated', data: { groupId: 'g2', name: 'Two' } }], meta());
    for (let i = 0; i < 30; i++) await store.append(`group:g${(i % 2) + 1}`, 'any', [added(`g${(i % 2) + 1}`, `u${i}@x.io`)], meta());
    await store.append('group:g1', 'any', [{ type: 'MemberRemoved', data: { groupId: 'g1', member: 'u4@x.io' } }], meta());
    await store.append('group:g2', 'any', [{ type: 'GroupDeleted', data: { groupId: 'g2' } }], meta());
    const live = await memberRows();
    expect(live).toHaveLength(14);

    await sql(`insert into "${db.schema}".test_member values ('junk', 'junk@x.io')`);
    const applied = await rebuildProjection(orm, store, members, 7);
    expect(applied).toBe(34);
    expect(await memberRows()).toEqual(live);
  });

  it('handleCommand folds the stream, decides and appends; If-Match with a stale version is refused', async () => {
    type State = { exists: boolean; members: Set<string> };
    type Cmd = { type: 'AddMember'; member: string };
    const decider: Decider<Cmd, State, DirectoryEvent> = {
      initialState: () => ({ exists: false, members: new Set() }),
      evolve: (s, e) => {
        if (e.type === 'GroupCreated') return { ...s, exists: true };
        if (e.type === 'MemberAdded') return { ...s, members: new Set([...s.members, e.data.member]) };
        return s;
      },
      decide: (c, s) => {
        if (!s.exists) throw new Error('GROUPS.NOT_FOUND');
        return s.members.has(c.member) ? [] : [added('g1', c.member)];
      },
    };
    await expect(handleCommand(store, 'group:g1', decider, { type: 'AddMember', member: 'a@x.io' }, meta())).rejects.toThrow('GROUPS.NOT_FOUND');
    await store.append('group:g1', 0, [{ type: 'GroupCreated', data: { groupId: 'g1', name: 'One' } }], meta());

    const first = await handleCommand(store, 'group:g1', decider, { type: 'AddMember', member: 'a@x.io' }, meta(), 1);
    expect(first.version).toBe(2);
    expect(first.state.members.has('a@x.io')).toBe(true);
    const again = await handleCommand(store, 'group:g1', decider, { type: 'AddMember', member: 'a@x.io' }, meta());
    expect(again.events).toEqual([]);
    await expect(handleCommand(store, 'group:g1', decider, { type: 'AddMember', member: 'b@x.io' }, meta(), 1)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('group:g1')).toHaveLength(2);
  });
});
