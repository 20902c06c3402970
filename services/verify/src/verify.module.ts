import { MessagingModule } from '@gate/messaging';
import { ObservabilityModule } from '@gate/observability';
import { Module } from '@nestjs/common';
import { VerifyRuntime } from './verify-runtime';

/**
 * The verify service: answers Traefik's forwardAuth requests at `/verify` from in-memory state
 * that follows the directory and sessions event streams; publishes its assertion keys at
 * `/.well-known/jwks.json`; /healthz, /readyz (ready once caught up, not while stale), /metrics.
 */
@Module({
  imports: [ObservabilityModule.forRoot({ service: 'verify', correlation: false }), MessagingModule.forService('verify')],
  providers: [VerifyRuntime],
  exports: [VerifyRuntime],
})
export class VerifyModule {}
