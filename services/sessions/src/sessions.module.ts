import { sessionsEvents } from '@gate/events';
import { EventStoreModule } from '@gate/eventstore';
import { MessagingModule } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { Module } from '@nestjs/common';

/** The sessions service: its event store (schema `sessions`) with the relay to JetStream, and NATS. */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'sessions' }),
    MessagingModule.forService('sessions'),
    EventStoreModule.forRoot({ catalog: sessionsEvents }),
  ],
})
export class SessionsModule {}
