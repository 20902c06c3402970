import { LookupSessionReply, RevokeSessionReply, SESSIONS_PATTERNS, SessionView, StartSessionRequest } from '@gate/events';
import { request } from '@gate/messaging';
import { ClientProxy } from '@nestjs/microservices';
import type { SessionStarter } from '../login/complete-login';
import type { SessionRevoker } from '../logout/logout';

/** How long login waits for sessions before it gives the user a 503 page. */
export const SESSIONS_TIMEOUT_MS = 3_000;

/** The sessions service over NATS request/reply, as login's use cases need it. */
export class SessionsClient implements SessionStarter, SessionRevoker {
  constructor(
    private readonly client: ClientProxy,
    private readonly timeoutMs = SESSIONS_TIMEOUT_MS,
  ) {}

  start(req: StartSessionRequest): Promise<SessionView> {
    return request<SessionView>(this.client, SESSIONS_PATTERNS.start, req, this.timeoutMs);
  }

  lookup(sessionId: string): Promise<LookupSessionReply> {
    return request<LookupSessionReply>(this.client, SESSIONS_PATTERNS.lookup, { sessionId }, this.timeoutMs);
  }

  revoke(sessionId: string, revokedBy: string): Promise<RevokeSessionReply> {
    return request<RevokeSessionReply>(this.client, SESSIONS_PATTERNS.revoke, { sessionId, revokedBy, reason: 'logout' }, this.timeoutMs);
  }
}
