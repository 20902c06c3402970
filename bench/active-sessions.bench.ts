/**
 * What verify's heap holds for sessions that are in use, and what the minute's sweep gives back (a
 * benchmark, not a test):  npm run bench:active-sessions
 *
 * SESSIONS=100000 sessions (the bench's 10 rules and one that lets them all in on
 * `app.example.com`) in one process without HTTP; then one allowed request for each of
 * ACTIVE=100000 of them, as if that many people had opened an app within a minute. Prints the heap
 * after a full collection: before the requests (the sessions, and the requests already built);
 * after them (each active session caches its identity and a signed assertion; verify also
 * remembers verified cookies and when it last reported a session seen); and after
 * `sweepSessions`, which verify runs once a minute, as it would run once the assertions are due
 * for renewal (31 s later).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dirEvent } from '../services/verify/src/state/events.fixture';
import { sweepSessions } from '../services/verify/src/state/sweep-sessions';
import { forwardedRequest, inProcessVerify, recordingResponse } from './in-process-verify';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, in MB. */
function heapMb(): number {
  collect();
  return process.memoryUsage().heapUsed / 1e6;
}

function main(): void {
  const active = Number(process.env.ACTIVE ?? 100_000);
  const verify = inProcessVerify({ sessions: Number(process.env.SESSIONS ?? 100_000), rules: 10, cookies: active });
  // The bench's rules let only session 0 in; this one lets every bench user in on the same host.
  const everyone = { id: 'idp-users', priority: 100, host: 'app.example.com', effect: 'allow' as const, subjects: { groups: ['idp-users'] } };
  verify.directory.apply(dirEvent(verify.directory.appliedPosition + 1, { type: 'RuleDefined', data: { rule: everyone } }));
  verify.directory.compileIfDirty();
  const requests = verify.cookies.map(forwardedRequest);
  const { response, status } = recordingResponse();
  let allowed = 0;
  const idle = heapMb();
  for (const request of requests) {
    verify.handler(request, response);
    if (status() === 200) allowed++;
  }
  if (allowed !== active) throw new Error(`${active - allowed} of ${active} bench requests were not allowed`);
  const used = heapMb();
  const nowSec = Math.floor(Date.now() / 1000) + 31;
  const started = performance.now();
  const dropped = sweepSessions(verify.sessions, verify.issuer, nowSec * 1000).identities;
  const sweepMs = performance.now() - started;
  const swept = heapMb();
  const idleSweepsMs = Array.from({ length: 5 }, () => {
    const again = performance.now();
    sweepSessions(verify.sessions, verify.issuer, nowSec * 1000);
    return performance.now() - again;
  });
  const perSession = (mb: number) => ((mb - idle) * 1e6) / active;
  console.log(`${verify.sessions.activeCount} sessions, ${active} of them active`);
  console.log(`heap before the requests:    ${idle.toFixed(1)} MB`);
  console.log(`after one request each:      ${used.toFixed(1)} MB (+${perSession(used).toFixed(0)} B per active session)`);
  console.log(`after the sweep:             ${swept.toFixed(1)} MB (+${perSession(swept).toFixed(0)} B per active session; ${dropped} identities dropped in ${sweepMs.toFixed(1)} ms)`);
  console.log(`sweeps with nothing to drop:  ${idleSweepsMs.map((ms) => ms.toFixed(1)).join(', ')} ms`);
}

main();
