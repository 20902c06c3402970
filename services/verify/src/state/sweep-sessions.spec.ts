import { AssertionSigner, generateAssertionKey, loadAssertionKeys } from '@gate/identity-assertion';
import { AssertionIssuer } from '../assertion/assertion-issuer';
import { sessionIdentity } from '../decision/decide-request';
import { DirectoryState } from './directory-state';
import { sesEvent, started } from './events.fixture';
import { SessionState } from './session-state';
import { sweepSessions } from './sweep-sessions';

describe("verify's sweep, once a minute", () => {
  const issuer = new AssertionIssuer(new AssertionSigner(loadAssertionKeys(JSON.stringify([generateAssertionKey('k1')])), 'https://auth.example.com'));

  it('drops expired sessions and the identities of sessions not used for half an assertion life; a dropped one is rebuilt alike', () => {
    const nowMs = Date.parse('2026-11-23T10:00:00Z');
    const nowSec = nowMs / 1000;
    const directory = new DirectoryState();
    const sessions = new SessionState();
    sessions.apply(sesEvent(1, started('recent', 'ann@example.com', { groups: ['staff'], nowMs })));
    sessions.apply(sesEvent(2, started('idle', 'bob@example.com', { groups: ['staff'], nowMs })));
    sessions.apply(sesEvent(3, started('gone', 'cy@example.com', { expiresAtMs: nowMs - 1, nowMs: nowMs - 3600_000 })));
    const use = (id: string, atSec: number) => issuer.assertionFor(sessionIdentity(directory, sessions.sessions.get(id)!), 'app.example.com', atSec);
    use('idle', nowSec - 40);
    use('recent', nowSec - 10);
    const idle = sessions.sessions.get('idle')!.identity;

    expect(sweepSessions(sessions, issuer, nowMs)).toEqual({ expired: 1, identities: 1 });
    expect([...sessions.sessions.keys()]).toEqual(['recent', 'idle']);
    expect(sessions.sessions.get('recent')!.identity).not.toBeNull();
    expect(sessions.sessions.get('idle')!.identity).toBeNull();
    const rebuilt = sessionIdentity(directory, sessions.sessions.get('idle')!);
    expect(rebuilt).not.toBe(idle);
    expect({ ...rebuilt, assertions: null }).toEqual({ ...idle, assertions: null });
  });
});
