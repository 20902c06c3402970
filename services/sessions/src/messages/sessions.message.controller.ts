import { lookupSessionRequest, revokeAllSessionsRequest, revokeSessionRequest, SESSIONS_PATTERNS, sessionsSeenMessage, startSessionRequest } from '@gate/events';
import { Controller, Logger, UseFilters } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { LookupSession } from '../use-cases/lookup-session';
import { RecordSeen } from '../use-cases/record-seen';
import { RevokeAllSessions } from '../use-cases/revoke-all-sessions';
import { RevokeSession } from '../use-cases/revoke-session';
import { StartSession } from '../use-cases/start-session';
import { parsePayload, RpcErrorFilter } from './rpc-error.filter';

/** The NATS door: login and verify's requests, validated, then the same use cases HTTP calls. */
@Controller()
@UseFilters(RpcErrorFilter)
export class SessionsMessageController {
  private readonly logger = new Logger('SessionsMessages');

  constructor(
    private readonly startSession: StartSession,
    private readonly lookupSession: LookupSession,
    private readonly revokeSession: RevokeSession,
    private readonly revokeAllSessions: RevokeAllSessions,
    private readonly recordSeen: RecordSeen,
  ) {}

  @MessagePattern(SESSIONS_PATTERNS.start)
  start(@Payload() data: unknown) {
    return this.startSession.execute(parsePayload(startSessionRequest, data));
  }

  @MessagePattern(SESSIONS_PATTERNS.lookup)
  lookup(@Payload() data: unknown) {
    return this.lookupSession.execute(parsePayload(lookupSessionRequest, data));
  }

  @MessagePattern(SESSIONS_PATTERNS.revoke)
  revoke(@Payload() data: unknown) {
    return this.revokeSession.execute(parsePayload(revokeSessionRequest, data));
  }

  @MessagePattern(SESSIONS_PATTERNS.revokeAll)
  revokeAll(@Payload() data: unknown) {
    return this.revokeAllSessions.execute(parsePayload(revokeAllSessionsRequest, data));
  }

  /** Fire-and-forget: a bad batch is logged and dropped (there is nobody to answer). */
  @EventPattern(SESSIONS_PATTERNS.seen)
  async seen(@Payload() data: unknown): Promise<void> {
    const parsed = sessionsSeenMessage.safeParse(data);
    if (!parsed.success) return void this.logger.warn(`dropped an invalid ${SESSIONS_PATTERNS.seen} batch`);
    await this.recordSeen.execute(parsed.data);
  }
}
