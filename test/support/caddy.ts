import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForPort } from './ports';

/**
 * A real forward-auth proxy for end-to-end tests: Debian's Caddy, whose `forward_auth` speaks
 * Traefik's protocol (X-Forwarded-Method/-Proto/-Host/-Uri), with HTTPS from its internal CA so
 * Secure cookies work in the browser. `caddyfile` gets the global options; `port` is where it
 * serves HTTPS on 127.0.0.1.
 */
export class TestCaddy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(sites: string, port: number): Promise<TestCaddy> {
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
    const child = spawn(process.env.CADDY_BIN ?? 'caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'ignore', process.env.E2E_LOG ? 'inherit' : 'ignore'] });
    await waitForPort(port, 15_000);
    return new TestCaddy(child, dir);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
