import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

/** The processes of a process group (everything the demo started stays in npm's group). */
function processesOfGroup(pgid: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pgid=,pid=,args='], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((line) => line.trim().split(/\s+/)[0] === String(pgid));
}

// What a newcomer does: `npm run demo`, open the app, sign in, and Ctrl-C. With the embedded
// PostgreSQL and a private nats-server, through either front: Caddy (installed here) and the
// built-in one a machine without Caddy gets.
describe.each(['caddy', 'builtin'])('npm run demo (front: %s)', (front) => {
  const dir = mkdtempSync(join(tmpdir(), 'gate-demo-'));
  let demo: ChildProcess;
  let browser: Browser;
  let port: number;
  let output = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_DIR: dir, DEMO_PORT: String(port), DEMO_FRONT: front };
    delete env.DATABASE_URL;
    // Its own process group, as in a terminal: SIGINT reaches npm and everything under it.
    demo = spawn('npm', ['run', 'demo'], { cwd: join(__dirname, '../..'), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (d) => (output += d));
    demo.stderr!.on('data', (d) => (output += d));
    await waitFor('the demo to be up', () => output.includes('The gate is up') || demo.exitCode !== null, 150_000);
    if (!output.includes('The gate is up')) throw new Error(`the demo did not start:\n${output}`);
  });

  afterAll(async () => {
    await browser?.close();
    // Only if a test failed before the demo was stopped: nothing of it may outlive the suite.
    if (demo && processesOfGroup(demo.pid!).length > 0) process.kill(-demo.pid!, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URLs to open, who to sign in as and the admin token', () => {
    expect(output).toContain(front === 'caddy' ? 'Caddy as the forward-auth front' : 'the built-in proxy as the forward-auth front');
    expect(output).toContain(`http://app.gate.localhost:${port}/`);
    expect(output).toMatch(/Sign in as Alice .*Bob .*Carol/);
    expect(output).toMatch(/Authorization: Bearer gat_[A-Za-z0-9_-]{43}/);
  });

  it("signs bob in through the front: the demo app shows bob's identity with a valid assertion, the admin app refuses him", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://app.gate.localhost:${port}/`);
    await page.getByRole('link', { name: 'Bob' }).click();
    await page.waitForURL(`http://app.gate.localhost:${port}/`);
    expect(await page.locator('[data-header="x-forwarded-user"]').textContent()).toBe('bob@gate.localhost');
    expect(await page.locator('[data-header="x-forwarded-user-groups"]').textContent()).toBe('staff');
    expect(await page.locator('#assertion').textContent()).toMatch(/^valid: /);

    const refused = await page.goto(`http://admin.gate.localhost:${port}/`);
    expect(refused?.status()).toBe(403);
    await context.close();
  });

  it('stops everything it started on SIGINT', async () => {
    expect(processesOfGroup(demo.pid!).length).toBeGreaterThan(3);
    process.kill(-demo.pid!, 'SIGINT');
    await waitFor('the demo to exit', () => demo.exitCode !== null || demo.signalCode !== null, 30_000);
    await waitFor('no process of the demo left', () => processesOfGroup(demo.pid!).length === 0, 15_000);
  });
});

describe('npm run demo without nats-server', () => {
  it('says in one line how to install it, and exits 1 having started nothing', () => {
    const run = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: join(__dirname, '../..'), env: { ...process.env, NATS_SERVER_BIN: '/nonexistent/nats-server' }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^The demo needs nats-server: install it \(Debian\/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server\)/)]);
  });
});
