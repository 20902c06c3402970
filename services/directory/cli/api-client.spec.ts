import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionOf } from './api-client';
import { printTable } from './output';

describe('gatectl connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatectl-'));
  const file = join(dir, 'token');
  writeFileSync(file, 'gat_from_file\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes flags before the environment, and a token file before a bare token', () => {
    expect(connectionOf({ url: 'http://a:1/', token: 't' }, { GATE_URL: 'http://b:2', GATE_TOKEN: 'env' })).toEqual({ url: 'http://a:1', token: 't' });
    expect(connectionOf({}, { GATE_URL: 'http://b:2', GATE_TOKEN_FILE: file, GATE_TOKEN: 'env' })).toEqual({ url: 'http://b:2', token: 'gat_from_file' });
    expect(connectionOf({}, { GATE_TOKEN: 'env' })).toEqual({ url: 'http://localhost:4182', token: 'env' });
  });

  it('says how to give a token when there is none, or the file cannot be read', () => {
    expect(() => connectionOf({}, {})).toThrow(/--token-file/);
    expect(() => connectionOf({ tokenFile: join(dir, 'missing') }, {})).toThrow(/cannot read the token file/);
  });
});

describe('printTable', () => {
  it('aligns columns and shows missing values as -', () => {
    let out = '';
    printTable({ out: (t) => void (out += t), err: () => undefined, env: {} }, ['ID', 'NAME', 'X'], [['a', 'long name', null], ['bbb', 'n', 1]]);
    expect(out).toBe('ID   NAME       X\na    long name  -\nbbb  n          1\n');
  });
});
