import type { SessionsEnvelope, SessionView } from '@gate/events';
import { GroupSets } from './group-sets';
import type { Identity } from './identity';

/**
 * One session as verify knows it (its id is the map key). A revoked or expired one stays as a
 * tombstone until it would have expired. Kept lean: verify holds one per session, 100k and more.
 */
export interface SessionEntry {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  /** Groups the identity provider asserted at login. */
  readonly idpGroups: readonly string[];
  readonly expiresAtMs: number;
  /** Position of the last event (or lookup reply) applied to this session. */
  position: number;
  /** A tombstone: refused, and no later or duplicate event brings it back. */
  ended: boolean;
  /** Cached identity and the directory version it was built for. */
  identity: Identity | null;
  identityVersion: number;
}

/** How long a tombstone for a session whose start verify never saw is kept (the stream's retention). */
export const ORPHAN_TOMBSTONE_MS = 30 * 24 * 3600 * 1000;

/**
 * Sessions in memory, fed by `AUTH_SESSIONS` events in position order and by lookup replies.
 * Idempotent and order-safe: an event at or below the applied position is skipped, a revocation
 * or expiry leaves a tombstone that nothing resurrects, and a lookup reply is applied only when it
 * is newer than what is known of that session.
 */
export class SessionState {
  /** Position (in the sessions log) of the last event applied. */
  appliedPosition = 0;
  readonly sessions = new Map<string, SessionEntry>();
  private tombstones = 0;
  /** The identity providers' group sets, shared among sessions. */
  readonly groupSets = new GroupSets();

  /** Applies one event; returns false when it was at or below the applied position. */
  apply(event: SessionsEnvelope): boolean {
    if (event.position <= this.appliedPosition) return false;
    this.appliedPosition = event.position;
    switch (event.type) {
      case 'SessionStarted':
        this.start(event.data, event.position);
        break;
      case 'SessionRevoked':
        this.end(event.data.sessionId, event.data.userId, event.position, Date.parse(event.data.revokedAt));
        break;
      case 'SessionExpired':
        this.end(event.data.sessionId, event.data.userId, event.position, Date.parse(event.data.expiredAt));
        break;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
    return true;
  }

  /** Applies what sessions answered to a lookup; ignored when tombstoned or not newer than known. */
  applyLookup(view: SessionView): void {
    const known = this.sessions.get(view.sessionId);
    if (known && (known.ended || known.position >= view.position)) return;
    if (view.status === 'active') this.start(view, view.position);
    else this.end(view.sessionId, view.userId, view.position, Date.now());
  }

  /**
   * Drops sessions and tombstones past their expiry (they can no longer change a decision), and
   * forgets the identities (with their signed assertions, about 1 KB a session) cached on the
   * others for which `keepIdentity` says no; the next request rebuilds one. One pass over the map.
   */
  sweep(nowMs: number, keepIdentity: (identity: Identity) => boolean = () => true): { expired: number; identities: number } {
    let expired = 0;
    let identities = 0;
    for (const [id, entry] of this.sessions) {
      if (entry.expiresAtMs <= nowMs) {
        this.sessions.delete(id);
        if (entry.ended) this.tombstones--;
        expired++;
      } else if (entry.identity !== null && !keepIdentity(entry.identity)) {
        entry.identity = null;
        identities++;
      }
    }
    return { expired, identities };
  }

  /** Live sessions held (including ones past expiry not swept yet). */
  get activeCount(): number {
    return this.sessions.size - this.tombstones;
  }

  get tombstoneCount(): number {
    return this.tombstones;
  }

  /**
   * Takes the event's data as it is. Memory: a copy per event (`{ ...data, expiresAtMs }`) left
   * about 40 MB of garbage in the old generation after a replay of 100k sessions.
   */
  private start(s: Pick<SessionView, 'sessionId' | 'userId' | 'email' | 'name' | 'groups' | 'expiresAt'>, position: number): void {
    const known = this.sessions.get(s.sessionId);
    if (known && (known.ended || known.position >= position)) return;
    this.sessions.set(s.sessionId, {
      userId: s.userId,
      // Memory: most sessions share their IdP group set, and many have the email as user id.
      email: s.email === s.userId ? s.userId : s.email,
      name: s.name,
      idpGroups: this.groupSets.intern(s.groups),
      expiresAtMs: Date.parse(s.expiresAt),
      position,
      ended: false,
      identity: null,
      identityVersion: -1,
    });
  }

  private end(sessionId: string, userId: string, position: number, atMs: number): void {
    const known = this.sessions.get(sessionId);
    if (known) {
      if (!known.ended) this.tombstones++;
      known.ended = true;
      known.identity = null;
      known.position = Math.max(known.position, position);
      return;
    }
    this.tombstones++;
    this.sessions.set(sessionId, {
      userId,
      email: '',
      name: '',
      idpGroups: [],
      expiresAtMs: atMs + ORPHAN_TOMBSTONE_MS,
      position,
      ended: true,
      identity: null,
      identityVersion: -1,
    });
  }
}
