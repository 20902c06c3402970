import { MissingToolError, requireTool, type ToolLookup } from './require-tool';

/** A machine whose only executables are `files`. */
const machine = (env: NodeJS.ProcessEnv, files: string[]): ToolLookup => ({ env, isExecutable: (path) => files.includes(path) });
const caddy = { envVar: 'CADDY_BIN', install: 'Debian: apt-get install caddy' };

describe('requireTool', () => {
  it('finds a tool on PATH, in PATH order', () => {
    const lookup = machine({ PATH: '/usr/local/bin:/usr/bin' }, ['/usr/bin/caddy', '/usr/local/bin/caddy']);
    expect(requireTool('caddy', caddy, lookup)).toBe('/usr/local/bin/caddy');
  });

  it('takes the variable over PATH', () => {
    const lookup = machine({ PATH: '/usr/bin', CADDY_BIN: '/opt/caddy/caddy' }, ['/usr/bin/caddy', '/opt/caddy/caddy']);
    expect(requireTool('caddy', caddy, lookup)).toBe('/opt/caddy/caddy');
  });

  it('tries each of several names (Chromium is chromium or chromium-browser)', () => {
    const spec = { envVar: 'CHROMIUM_BIN', names: ['chromium', 'chromium-browser'], install: 'Debian: apt-get install chromium' };
    expect(requireTool('Chromium', spec, machine({ PATH: '/usr/bin' }, ['/usr/bin/chromium-browser']))).toBe('/usr/bin/chromium-browser');
  });

  it('throws at once when it is missing, naming the tool, how to install it and the variable', () => {
    const attempt = () => requireTool('caddy', caddy, machine({ PATH: '/usr/bin:/bin' }, ['/usr/bin/nats-server']));
    expect(attempt).toThrow(MissingToolError);
    expect(attempt).toThrow('caddy is needed by these tests and is not installed (no caddy on PATH). Install it (Debian: apt-get install caddy) or set CADDY_BIN to its path.');
  });

  it('refuses a variable that names no executable file rather than falling back to PATH', () => {
    const attempt = () => requireTool('caddy', caddy, machine({ PATH: '/usr/bin', CADDY_BIN: '/nowhere/caddy' }, ['/usr/bin/caddy']));
    expect(attempt).toThrow(/^caddy: CADDY_BIN=\/nowhere\/caddy is not an executable file/);
  });

  it('with the real file system: finds node itself, and not a tool that does not exist', () => {
    expect(requireTool('node', { install: 'nodejs' })).toMatch(/\/node$/);
    expect(() => requireTool('no-such-tool-a8f3', { install: 'nothing' })).toThrow(MissingToolError);
  });
});
