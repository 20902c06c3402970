/**
 * What verify's own code costs per allowed request, in one process without HTTP (a benchmark, not
 * a test):  npm run bench:hot-path
 *
 * The `/verify` handler, as verify installs it, is called in a hot loop with the headers that
 * `bench:verify` sends and a response object that only records the answer; then each step it
 * takes on its own. State as `bench:verify` seeds it (SESSIONS=100000, RULES=10), applied
 * in-process. Prints nanoseconds per call, and each step as a share of the whole handler, three
 * times. Node's HTTP parser, the sockets and the kernel are left out: `bench:verify` reports the
 * server's CPU per request with them, to set these numbers against.
 */
import { sessionCookieValues } from '@gate/session-token';
import { decideRequest } from '../services/verify/src/decision/decide-request';
import { replyToTraefik } from '../services/verify/src/http/reply-to-traefik';
import { parseForwardedRequest } from '../services/verify/src/request/forwarded-request';
import { COOKIE_NAME, forwardedRequest, inProcessVerify, recordingResponse } from './in-process-verify';

const CALLS = 1_000_000;

/** Nanoseconds per call of `step`, after a warm-up. */
function nsPerCall(step: () => unknown): number {
  for (let i = 0; i < CALLS / 10; i++) step();
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) step();
  return Number(process.hrtime.bigint() - started) / CALLS;
}

function main(): void {
  const verify = inProcessVerify({ sessions: Number(process.env.SESSIONS ?? 100_000), rules: Number(process.env.RULES ?? 10), cookies: 1 });
  const { forwardAuth, handler, state, replyOptions: options, sessions, directory } = verify;
  const cookie = verify.cookies[0];

  const request = forwardedRequest(cookie);
  const headers = request.headers;
  const { response, status } = recordingResponse();
  handler(request, response);
  const answer = forwardAuth.answer(headers);
  if (status() !== 200 || answer instanceof Promise || answer.verdict.kind !== 'allow') throw new Error(`the bench request was not allowed (${status()})`);
  const forwarded = answer.request!;
  const credentials = { sessionIds: [answer.verdict.credential!], bearer: null, bearerHash: null, browser: true };

  const steps: [string, () => unknown][] = [
    ['the /verify handler', () => handler(request, response)],
    ['ForwardAuth.answer', () => forwardAuth.answer(headers)],
    ['  parseForwardedRequest', () => parseForwardedRequest(headers)],
    ['  sessionCookieValues', () => sessionCookieValues(headers.cookie, COOKIE_NAME)],
    ['  decideRequest', () => decideRequest(state, forwarded, credentials, Date.now())],
    ['replyToTraefik', () => replyToTraefik(answer, options)],
    ['performance.now', () => performance.now()],
  ];
  console.log(`${sessions.activeCount} sessions, ${directory.rules.size} rules; ${CALLS} calls per step`);
  for (let round = 1; round <= 3; round++) {
    const costs = steps.map(([, step]) => nsPerCall(step));
    console.log(`round ${round}: ${steps.map(([name], i) => `${name.trim()} ${costs[i].toFixed(0)} ns (${((100 * costs[i]) / costs[0]).toFixed(0)} %)`).join(', ')}`);
  }
}

main();
