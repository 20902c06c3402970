import { sessionsEvents } from '@gate/events';
import { EventStoreModule } from '@gate/eventstore';
import { AssertionStrategy, assertionOptionsProvider } from '@gate/identity-assertion';
import { MessagingModule } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { DynamicModule, Module } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from './clock';
import { AdminCheck } from './http/admin-check';
import { CallerResolver } from './http/caller';
import { CallerGuard } from './http/caller.guard';
import { CsrfTokenGuard, JsonBodyGuard, SameOriginGuard } from './http/request-guards';
import { SessionPage } from './http/session-page.service';
import { SessionsApiController } from './http/sessions.api.controller';
import { SessionsPageController } from './http/sessions.page.controller';
import { SessionsMessageController } from './messages/sessions.message.controller';
import { SessionsMetrics } from './metrics/sessions-metrics';
import { Migration20261123100000Sessions } from './read-model/Migration20261123100000Sessions';
import { SessionReadModel } from './read-model/session-read-model';
import { SessionsProjection } from './read-model/sessions.projection';
import { SessionSweeper } from './sweeper/session-sweeper';
import { CallerSessions } from './use-cases/caller-sessions';
import { LookupSession } from './use-cases/lookup-session';
import { RecordSeen } from './use-cases/record-seen';
import { RevokeAllSessions } from './use-cases/revoke-all-sessions';
import { RevokeSession } from './use-cases/revoke-session';
import { SessionCommands } from './use-cases/session-commands';
import { StartSession } from './use-cases/start-session';

/**
 * The sessions service: the session aggregate in its event store (schema `sessions`) with its
 * read model, the NATS handlers login and verify call, the sweeper, and the JSON API and session
 * page at the auth host. Use `SessionsModule.withClock(clock)` to run it on another clock (tests).
 */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'sessions' }),
    MessagingModule.forService('sessions'),
    EventStoreModule.forRoot({ catalog: sessionsEvents, migrations: [Migration20261123100000Sessions], projections: [SessionsProjection] }),
  ],
  controllers: [SessionsMessageController, SessionsApiController, SessionsPageController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    SessionReadModel,
    SessionsMetrics,
    SessionCommands,
    StartSession,
    LookupSession,
    RevokeSession,
    RevokeAllSessions,
    RecordSeen,
    CallerSessions,
    SessionSweeper,
    AdminCheck,
    assertionOptionsProvider,
    AssertionStrategy,
    CallerResolver,
    CallerGuard,
    SameOriginGuard,
    JsonBodyGuard,
    CsrfTokenGuard,
    SessionPage,
  ],
})
export class SessionsModule {
  /** The same service reading the time from `clock`. */
  static withClock(clock: Clock): DynamicModule {
    return { module: SessionsModule, providers: [{ provide: CLOCK, useValue: clock }] };
  }
}
