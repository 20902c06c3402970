import { loginEvents } from '@gate/events';
import { EventStoreModule } from '@gate/eventstore';
import { MessagingModule } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { Module } from '@nestjs/common';

/** The login service: its event store (schema `login`) with the relay to JetStream, and NATS. */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'login' }),
    MessagingModule.forService('login'),
    EventStoreModule.forRoot({ catalog: loginEvents }),
  ],
})
export class LoginModule {}
