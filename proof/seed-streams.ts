import { randomUUID } from 'node:crypto';
import { type Context, type DirectoryEvent, type SessionsEvent, streamIdOf, subjectOf } from '@gate/events';
import { ensureStreams, HeadAnnouncer, type NatsLink } from '@gate/messaging';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { TestNatsServer } from '../test/support/nats-server';

/** An event to publish, with the aggregate it belongs to (`rule:r1`, `session:<id>`). */
export type Seed<E> = { readonly streamId: string; readonly event: E };

/**
 * Publishes events straight into the two streams as the writers' relays would (envelopes with
 * positions from 1, message ids), then announces both heads every second as the relays would, so
 * that a verify started afterwards replays them and counts itself fresh. For proofs that need a
 * large or hand-made state without running the writers. Returns how to stop the announcements.
 */
export async function seedStreams(nats: TestNatsServer, directory: Seed<DirectoryEvent>[], sessions: Seed<SessionsEvent>[]): Promise<{ stop(): Promise<void> }> {
  const nc = await nats.connect('admin');
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, ['directory', 'sessions']);
  const js = jetstream(nc);
  let pending: Promise<unknown>[] = [];
  const publishAll = async (context: Context, seeds: Seed<{ type: string; data: unknown }>[]) => {
    const versions = new Map<string, number>();
    for (const [i, { streamId, event }] of seeds.entries()) {
      const streamVersion = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, streamVersion);
      const id = randomUUID();
      const envelope = { id, context, type: event.type, version: 1, streamId, streamVersion, position: i + 1, occurredAt: new Date().toISOString(), actor: 'proof', correlationId: 'proof', data: event.data };
      pending.push(js.publish(subjectOf(context, streamId), JSON.stringify(envelope), { msgID: id }));
      if (pending.length >= 500) await Promise.all(pending.splice(0));
    }
  };
  await publishAll('directory', directory);
  await publishAll('sessions', sessions);
  await Promise.all(pending);
  await nc.close();
  const links: NatsLink[] = [nats.link('directory'), nats.link('sessions')];
  await Promise.all(links.map((l) => l.connection));
  const heads = [new HeadAnnouncer(links[0], 'directory', async () => directory.length), new HeadAnnouncer(links[1], 'sessions', async () => sessions.length)];
  heads.forEach((h) => h.start());
  return {
    async stop() {
      heads.forEach((h) => h.stop());
      await Promise.all(links.map((l) => l.close()));
    },
  };
}

/** `streamIdOf` for the seeds' aggregates. */
export const stream = { rule: (id: string) => streamIdOf('rule', id), group: (id: string) => streamIdOf('group', id), user: (id: string) => streamIdOf('user', id), session: (id: string) => streamIdOf('session', id) };
