import { randomUUID } from 'node:crypto';
import { directoryEvents, upcastUserRegisteredV1 } from './directory-events';
import { InvalidEventError } from './catalog';
import { sessionsEvents } from './sessions-events';

function envelope(overrides: Record<string, unknown>) {
  return {
    id: randomUUID(),
    context: 'directory',
    type: 'GroupCreated',
    version: 1,
    streamId: 'group:admins',
    streamVersion: 1,
    position: 1,
    occurredAt: '2026-11-23T08:00:00.000Z',
    actor: 'system',
    correlationId: 'c-1',
    data: { groupId: 'admins', name: 'Admins' },
    ...overrides,
  };
}

describe('EventCatalog.parse', () => {
  it('accepts a valid envelope and returns it typed', () => {
    const e = directoryEvents.parse(envelope({}));
    expect(e.type).toBe('GroupCreated');
    expect(e.data).toEqual({ groupId: 'admins', name: 'Admins' });
  });

  it('refuses an unknown type, another context, bad data and a malformed envelope', () => {
    expect(() => directoryEvents.parse(envelope({ type: 'GroupExploded' }))).toThrow(InvalidEventError);
    expect(() => directoryEvents.parse(envelope({ context: 'sessions' }))).toThrow(/context sessions/);
    expect(() => directoryEvents.parse(envelope({ data: { groupId: 'admins' } }))).toThrow(/GroupCreated/);
    expect(() => directoryEvents.parse(envelope({ position: 0 }))).toThrow(/envelope/);
    expect(() => directoryEvents.parse(envelope({ id: 'not-a-uuid' }))).toThrow(/envelope/);
    expect(() => directoryEvents.parse('{}')).toThrow(InvalidEventError);
  });

  it('refuses a version newer than the code knows', () => {
    expect(() => directoryEvents.parse(envelope({ version: 2 }))).toThrow(/newer than this code/);
  });

  it('strips nothing it should keep and rejects a non-canonical user id', () => {
    const bad = envelope({ type: 'UserDisabled', data: { userId: 'Alice@Example.com' } });
    expect(() => directoryEvents.parse(bad)).toThrow(/lower-case/);
  });
});

describe('upcasting UserRegistered v1 → v2', () => {
  it('given a v1 event in the log, when read, then consumers see v2 with the canonical id', () => {
    const e = directoryEvents.parse(
      envelope({ type: 'UserRegistered', version: 1, data: { email: 'Alice@Example.com', displayName: 'Alice' } }),
    );
    expect(e.version).toBe(2);
    expect(e.data).toEqual({ userId: 'alice@example.com', email: 'Alice@Example.com', name: 'Alice' });
  });

  it('the upcaster alone maps every field', () => {
    expect(upcastUserRegisteredV1({ email: 'B@x.org', displayName: 'Bee' })).toEqual({
      userId: 'b@x.org',
      email: 'B@x.org',
      name: 'Bee',
    });
  });

  it('refuses a v1 event that does not match the frozen v1 schema', () => {
    const e = envelope({ type: 'UserRegistered', version: 1, data: { email: 'a@b.c', name: 'no displayName' } });
    expect(() => directoryEvents.parse(e)).toThrow(/v1/);
  });

  it('a current v2 event passes unchanged', () => {
    const data = { userId: 'a@b.co', email: 'A@b.co', name: 'A' };
    expect(directoryEvents.parse(envelope({ type: 'UserRegistered', version: 2, data })).data).toEqual(data);
  });
});

describe('EventCatalog.validate', () => {
  it('checks domain events before they are appended', () => {
    expect(() =>
      sessionsEvents.validate({ type: 'SessionRevoked', data: { sessionId: 's1', userId: 'a@b.co', revokedBy: 'a@b.co', reason: 'bored', revokedAt: '2026-01-01T00:00:00Z' } }),
    ).toThrow(/reason/);
    expect(sessionsEvents.latestVersion('SessionStarted')).toBe(1);
  });
});
