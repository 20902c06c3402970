import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { waitFor } from '../../support/wait-for';
import { forwarded, VerifyWorld } from './verify-harness';

const BOUND_MS = 2_000;
/** Outages shorter and longer than the bound, ended by SIGTERM and by SIGKILL. */
const OUTAGES: [number, NodeJS.Signals][] = [
  [500, 'SIGTERM'],
  [1_500, 'SIGKILL'],
  [2_500, 'SIGTERM'],
  [3_500, 'SIGKILL'],
  [5_000, 'SIGTERM'],
  [3_000, 'SIGKILL'],
];

interface Probe {
  at: number;
  status: number;
}

// The architecture's promise: verify never keeps honouring a session whose revocation (or a rule
// whose change to deny) it may have missed for longer than STREAM_STALE_AFTER, NATS outage or not,
// and in particular not after NATS comes back while the change still waits in the writer's outbox.
describe('freshness across NATS outages', () => {
  let world: VerifyWorld;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    world = await VerifyWorld.create();
    await world.rule({ id: 'everyone', host: 'app.example.com', effect: 'allow', priority: 300 });
    app = await world.boot({ STREAM_STALE_AFTER: `${BOUND_MS}ms` });
  });
  afterAll(() => world.destroy());

  it('never allows a revoked session nor ignores a deny rule longer than the bound after the change was committed', async () => {
    let probes = 0;
    const falseAllows: string[] = [];
    for (const [round, [outageMs, signal]] of OUTAGES.entries()) {
      const user = `user${round}@example.com`;
      const uri = `/vault${round}`;
      const s = await world.startSession(user);
      const kept = await world.startSession(`kept${round}@example.com`);
      await world.applied(app, 'sessions', world.sessionsKnown.get(kept.sessionId)!.position);
      await world.applied(app, 'directory', await world.rule({ id: `vault${round}`, host: 'app.example.com', paths: [uri], effect: 'allow', priority: 10 }));
      const sessionProbe = () => forwarded(app, { uri: '/', headers: { cookie: s.cookie } });
      const vaultProbe = () => forwarded(app, { uri, headers: { cookie: kept.cookie } });
      expect([(await sessionProbe()).statusCode, (await vaultProbe()).statusCode]).toEqual([200, 200]);

      // Both probes run without pause across the outage and the recovery.
      const seen: { session: Probe[]; vault: Probe[] } = { session: [], vault: [] };
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const at = Date.now();
          const [a, b] = await Promise.all([sessionProbe(), vaultProbe()]);
          seen.session.push({ at, status: a.statusCode });
          seen.vault.push({ at, status: b.statusCode });
          await new Promise((r) => setTimeout(r, 5));
        }
      })();

      await world.nats.pause(signal);
      await world.revoke(s.sessionId, user);
      await world.rule({ id: `vault${round}`, host: 'app.example.com', paths: [uri], effect: 'deny', priority: 10 }, 'RuleChanged');
      const committedAt = Date.now();
      await new Promise((r) => setTimeout(r, outageMs));
      await world.nats.resume();
      await waitFor('the revocation and the deny rule applied', async () => (await sessionProbe()).statusCode === 401 && (await vaultProbe()).statusCode === 403, 15_000);
      await new Promise((r) => setTimeout(r, 300));
      polling = false;
      await poller;

      const late = (p: Probe) => p.status === 200 && p.at > committedAt + BOUND_MS;
      for (const p of seen.session.filter(late)) falseAllows.push(`round ${round}: revoked session allowed ${p.at - committedAt} ms after the commit`);
      for (const p of seen.vault.filter(late)) falseAllows.push(`round ${round}: denied path allowed ${p.at - committedAt} ms after the commit`);
      probes += seen.session.length + seen.vault.length;
    }
    expect(falseAllows).toEqual([]);
    expect(probes).toBeGreaterThan(1_000);
  });
});
