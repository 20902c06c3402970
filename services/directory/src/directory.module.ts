import { directoryEvents } from '@gate/events';
import { EventStoreModule } from '@gate/eventstore';
import { MessagingModule } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { Module } from '@nestjs/common';

/** The directory service: its event store (schema `directory`) with the relay to JetStream, and NATS. */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'directory' }),
    MessagingModule.forService('directory'),
    EventStoreModule.forRoot({ catalog: directoryEvents }),
  ],
})
export class DirectoryModule {}
