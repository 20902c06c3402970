/** One answer verify gave under the steady load. */
export interface Probe {
  readonly at: number;
  readonly replica: number;
  /** Index into the cookies, or -1 for an unknown (never started) session. */
  readonly session: number;
  readonly host: string;
  /** 0 when verify did not answer (killed, restarting). */
  readonly status: number;
}

/**
 * A steady load on the verify replicas for the fault proofs: `concurrency` loops, each sending
 * the request Traefik would send for a random session and host to a random replica, recording
 * every answer with its time, until stopped.
 */
export class SteadyLoad {
  readonly probes: Probe[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly ports: () => number[],
    private readonly cookies: () => string[],
    private readonly hosts: string[],
    concurrency = 8,
  ) {
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ports = this.ports();
      const cookies = this.cookies();
      const replica = Math.floor(Math.random() * ports.length);
      const session = Math.random() < 0.02 ? -1 : Math.floor(Math.random() * cookies.length);
      const host = this.hosts[Math.floor(Math.random() * this.hosts.length)];
      const cookie = session === -1 ? UNKNOWN_COOKIE.value : cookies[session];
      const headers = { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': host, 'x-forwarded-uri': '/', accept: 'application/json', cookie };
      const status = await fetch(`http://127.0.0.1:${ports[replica]}/verify`, { headers, redirect: 'manual', signal: AbortSignal.timeout(5_000) }).then(
        async (r) => (await r.arrayBuffer(), r.status),
        () => 0,
      );
      this.probes.push({ at: Date.now(), replica, session, host, status });
      if (status === 0) await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A well-formed session cookie whose session was never started (set by the proof). */
export const UNKNOWN_COOKIE = { value: '' };
