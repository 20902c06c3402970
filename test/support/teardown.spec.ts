import { Teardown } from './teardown';

describe('Teardown', () => {
  it('undoes what was started, newest first, on close', async () => {
    const undone: string[] = [];
    const t = new Teardown();
    expect(t.add('nats', (v) => undone.push(v))).toBe('nats');
    t.add('schema', async (v) => void undone.push(v));
    await t.close();
    expect(undone).toEqual(['schema', 'nats']);
    await t.close();
    expect(undone).toEqual(['schema', 'nats']);
  });

  it('when starting fails half-way, undoes what had started and rethrows the failure', async () => {
    const undone: string[] = [];
    const t = new Teardown();
    const start = t.guard(async () => {
      t.add('nats', (v) => undone.push(v));
      t.add('app', (v) => undone.push(v));
      throw new Error('caddy is needed by these tests and is not installed');
    });
    await expect(start).rejects.toThrow('caddy is needed');
    expect(undone).toEqual(['app', 'nats']);
  });

  it('runs every step even when one fails, then throws the first failure', async () => {
    const undone: string[] = [];
    const t = new Teardown();
    t.add('nats', (v) => undone.push(v));
    t.add('app', () => {
      throw new Error('app would not close');
    });
    await expect(t.close()).rejects.toThrow('app would not close');
    expect(undone).toEqual(['nats']);
  });
});
