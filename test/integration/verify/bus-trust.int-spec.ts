import { randomUUID } from 'node:crypto';
import { headSubjectOf } from '@gate/events';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VerifyRuntime } from '../../../services/verify/src/verify-runtime';
import { waitFor } from '../../support/wait-for';
import { BROWSER, forwarded, VerifyWorld } from './verify-harness';

/** A made-up event as a forger would write it: a `public` rule for everything on the app's host. */
function forgedRule(position: number, id = randomUUID()) {
  const rule = { id: 'forged', priority: 1, host: 'app.example.com', effect: 'public' };
  return JSON.stringify({ id, context: 'directory', type: 'RuleDefined', version: 1, streamId: 'rule:forged', streamVersion: 1, position, occurredAt: new Date().toISOString(), actor: 'forger', correlationId: 'x', data: { rule } });
}

// The bus is a trust boundary: nobody but a context's own writer can put events (or heads) on it,
// and an event that still reaches verify at a position it has applied is an alarm, never applied.
describe('the bus is a trust boundary', () => {
  let world: VerifyWorld;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    world = await VerifyWorld.create();
    await world.rule({ id: 'staff', host: 'app.example.com', effect: 'allow', subjects: { groups: ['staff'] } });
    app = await world.boot();
  });
  afterAll(() => world.destroy());

  it('refuses anonymous connections', async () => {
    await expect(connect({ servers: world.nats.url, reconnect: false })).rejects.toThrow(/Authorization Violation/i);
  });

  it("lets neither verify's credentials nor a reader publish events or heads, nor create or delete a stream", async () => {
    for (const user of ['verify', 'reader'] as const) {
      const nc = await world.nats.connect(user);
      const violations: string[] = [];
      void (async () => {
        for await (const s of nc.status()) if (s.type === 'error') violations.push(String(s.error));
      })();
      const subjects = ['auth.directory.rule.forged', 'auth.sessions.session.x', headSubjectOf('directory'), headSubjectOf('sessions')];
      for (const subject of subjects) nc.publish(subject, forgedRule(999));
      await nc.flush();
      const jsm = await jetstreamManager(nc);
      await expect(jsm.streams.delete('AUTH_DIRECTORY')).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.add({ name: 'EVIL', subjects: ['evil.>'] })).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.purge('AUTH_SESSIONS')).rejects.toThrow(/Permissions Violation/);
      await waitFor(`${user}'s publishes refused`, () => subjects.every((subject) => violations.some((v) => v.includes(`Publish to "${subject}"`))), 3_000);
      await nc.close();
    }
    const info = await (await jetstreamManager(world.nc)).streams.info('AUTH_DIRECTORY');
    expect(info.state.messages).toBe(app.get(VerifyRuntime).verify.directory.appliedPosition);
    // Nothing forged got through: the visitor is still sent to log in.
    expect((await forwarded(app, { uri: '/anything', headers: BROWSER })).statusCode).toBe(302);
  });

  it('raises the alarm for an event at an applied position under another id, and applies nothing of it', async () => {
    const position = app.get(VerifyRuntime).verify.directory.appliedPosition;
    const before = await app.inject({ method: 'GET', url: '/metrics' });
    expect(before.body).not.toMatch(/verify_event_conflicts_total\{[^}]*kind="conflict"/);
    // A writer gone wrong (here: the test's administrator) publishes at a position already applied.
    await world.nc.publish('auth.directory.rule.forged', forgedRule(position));
    await world.nc.flush();
    await waitFor('the alarm', async () => /verify_event_conflicts_total\{[^}]*kind="conflict"[^}]*\} 1/.test((await app.inject({ method: 'GET', url: '/metrics' })).body));
    expect(app.get(VerifyRuntime).verify.directory.rules.has('forged')).toBe(false);
    expect((await forwarded(app, { uri: '/anything', headers: BROWSER })).statusCode).toBe(302);

    // The next real event at the next position is applied as usual.
    const s = await world.startSession('sam@example.com', { groups: ['staff'] });
    await world.applied(app, 'sessions', world.sessionsKnown.get(s.sessionId)!.position);
    const next = await world.rule({ id: 'later', host: 'other.example.com', effect: 'allow' });
    await world.applied(app, 'directory', next);
    expect(app.get(VerifyRuntime).verify.directory.rules.has('later')).toBe(true);
    expect((await forwarded(app, { headers: { cookie: s.cookie } })).statusCode).toBe(200);
  });

  // A writer's own credentials can still write anything (that is what they are for); what verify
  // can do is notice a position its relay never committed, and say so.
  it('raises the alarm for an event beyond the head its relay announces (never committed)', async () => {
    const runtime = app.get(VerifyRuntime).verify;
    const far = runtime.directory.appliedPosition + 1000;
    await world.nc.publish('auth.directory.rule.forged', forgedRule(far));
    await world.nc.flush();
    await waitFor('the beyond-head alarm', async () => /verify_event_conflicts_total\{[^}]*kind="beyond-head"[^}]*\} 1/.test((await app.inject({ method: 'GET', url: '/metrics' })).body), 10_000);
  });
});
