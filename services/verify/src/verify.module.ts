import { ObservabilityModule } from '@gate/observability';
import { Module } from '@nestjs/common';

/** The verify service: so far it boots and serves /healthz, /readyz and /metrics. */
@Module({
  imports: [ObservabilityModule.forRoot({ service: 'verify' })],
})
export class VerifyModule {}
