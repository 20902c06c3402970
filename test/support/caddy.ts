import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForPort } from './ports';
import { requireTool } from './require-tool';

/** Caddy's binary (CADDY_BIN, else `caddy` on PATH); throws at once, saying how to install it, when missing. */
export function requireCaddy(): string {
  return requireTool('caddy', { envVar: 'CADDY_BIN', install: 'Debian: apt-get install caddy' });
}

/**
 * A real forward-auth proxy for end-to-end tests: Debian's Caddy, whose `forward_auth` speaks
 * Traefik's protocol (X-Forwarded-Method/-Proto/-Host/-Uri), with HTTPS from its internal CA so
 * Secure cookies work in the browser. `caddyfile` gets the global options; `port` is where it
 * serves HTTPS on 127.0.0.1. Fails at once when caddy is not installed or exits before it listens.
 */
export class TestCaddy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(sites: string, port: number): Promise<TestCaddy> {
    const bin = requireCaddy();
    const dir = mkdtempSync(join(tmpdir(), 'caddy-'));
    const caddyfile = `{
  admin off
  auto_https disable_redirects
  skip_install_trust
  local_certs
  storage file_system ${join(dir, 'data')}
  https_port ${port}
}
${sites}
`;
    writeFileSync(join(dir, 'Caddyfile'), caddyfile);
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
    const child = spawn(bin, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'ignore', process.env.E2E_LOG ? 'inherit' : 'ignore'] });
    const caddy = new TestCaddy(child, dir);
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`caddy could not start: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`caddy exited (${code}) before it listened on ${port}; E2E_LOG=1 shows why`)));
    });
    try {
      await Promise.race([waitForPort(port, 15_000), exited]);
    } catch (error) {
      await caddy.stop();
      throw error;
    }
    exited.catch(() => undefined);
    return caddy;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
