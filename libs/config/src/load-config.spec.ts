import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { durationField, portField, postgresUrlField, secretField } from './env-fields';
import { loadConfig } from './load-config';

const schema = z.object({
  HTTP_PORT: portField().default(4180),
  DATABASE_URL: postgresUrlField(),
  SESSION_KEY: secretField(8),
  IDLE_TIMEOUT: durationField().default(600_000),
});

const valid = { DATABASE_URL: 'postgres://db/app', SESSION_KEY: 'abcdefgh' };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.problem}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gate-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function secretFile(name: string, contents: string): string {
    const path = join(dir, name);
    writeFileSync(path, contents);
    return path;
  }

  it('reads and converts the variables, filling in defaults', () => {
    expect(loadConfig(schema, { ...valid, IDLE_TIMEOUT: '30s' })).toEqual({
      HTTP_PORT: 4180,
      DATABASE_URL: 'postgres://db/app',
      SESSION_KEY: 'abcdefgh',
      IDLE_TIMEOUT: 30_000,
    });
  });

  it('ignores variables the schema does not name', () => {
    expect(loadConfig(schema, { ...valid, UNRELATED: 'x' })).not.toHaveProperty('UNRELATED');
  });

  it('names every bad variable in one error', () => {
    expect(problemsOf({ HTTP_PORT: 'abc', SESSION_KEY: 'short' })).toEqual([
      'HTTP_PORT: expected an integer 1-65535, got "abc"',
      'DATABASE_URL: required',
      'SESSION_KEY: expected a secret of at least 8 characters, got 5',
    ]);
  });

  it('puts every problem in the message, one per line', () => {
    expect(() => loadConfig(schema, { HTTP_PORT: '0' })).toThrow(
      [
        'Invalid configuration:',
        '  HTTP_PORT: expected an integer 1-65535, got "0"',
        '  DATABASE_URL: required',
        '  SESSION_KEY: required',
      ].join('\n'),
    );
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig(schema, { ...valid, HTTP_PORT: '' }).HTTP_PORT).toBe(4180);
    expect(problemsOf({ ...valid, DATABASE_URL: '' })).toEqual(['DATABASE_URL: required']);
  });

  it('reads NAME_FILE, dropping one trailing newline', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://db/app',
      SESSION_KEY_FILE: secretFile('key', 'abcdefgh  \n'),
      HTTP_PORT_FILE: secretFile('port', '8080\r\n'),
    });
    expect(config.SESSION_KEY).toBe('abcdefgh  ');
    expect(config.HTTP_PORT).toBe(8080);
  });

  it('validates what a file holds like a value from the environment', () => {
    expect(problemsOf({ ...valid, HTTP_PORT_FILE: secretFile('port', 'abc\n') })).toEqual([
      'HTTP_PORT: expected an integer 1-65535, got "abc"',
    ]);
  });

  it('refuses NAME and NAME_FILE together', () => {
    expect(problemsOf({ ...valid, SESSION_KEY_FILE: secretFile('key', 'abcdefgh') })).toEqual([
      'SESSION_KEY: set either SESSION_KEY or SESSION_KEY_FILE, not both',
    ]);
  });

  it('names the file it cannot read, and reports nothing else for that variable', () => {
    const missing = join(dir, 'nope');
    expect(problemsOf({ DATABASE_URL: 'postgres://db/app', SESSION_KEY_FILE: missing })).toEqual([
      `SESSION_KEY_FILE: cannot read ${missing} (ENOENT)`,
    ]);
  });

  it('reports a cross-variable refinement under the variable it names', () => {
    const ranged = z
      .object({ MIN: portField(), MAX: portField() })
      .refine((c) => c.MIN <= c.MAX, { message: 'must not be below MIN', path: ['MAX'] });
    expect(() => loadConfig(ranged, { MIN: '9000', MAX: '80' })).toThrow('  MAX: must not be below MIN');
  });
});
