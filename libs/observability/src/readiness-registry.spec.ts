import { ReadinessRegistry } from './readiness-registry';

describe('ReadinessRegistry', () => {
  it('is ready with no checks', async () => {
    await expect(new ReadinessRegistry().report()).resolves.toEqual({ ready: true, failing: [] });
  });

  it('names every failing check: false, a throw, a rejection, a timeout', async () => {
    const registry = new ReadinessRegistry();
    registry.register('sync-ok', () => true);
    registry.register('void-ok', () => undefined);
    registry.register('async-ok', async () => true);
    registry.register('false', () => false);
    registry.register('throws', () => {
      throw new Error('down');
    });
    registry.register('rejects', () => Promise.reject(new Error('down')));
    registry.register('async-false', async () => false);
    registry.register('hangs', () => new Promise<boolean>(() => undefined));
    await expect(registry.report(20)).resolves.toEqual({
      ready: false,
      failing: ['false', 'throws', 'rejects', 'async-false', 'hangs'],
    });
  });

  it('runs the checks again on every report', async () => {
    const registry = new ReadinessRegistry();
    let caughtUp = false;
    registry.register('projection', () => caughtUp);
    expect((await registry.report()).ready).toBe(false);
    caughtUp = true;
    expect((await registry.report()).ready).toBe(true);
  });

  it('refuses a name registered twice', () => {
    const registry = new ReadinessRegistry();
    registry.register('nats', () => true);
    expect(() => registry.register('nats', () => true)).toThrow('readiness check "nats" is already registered');
  });
});
