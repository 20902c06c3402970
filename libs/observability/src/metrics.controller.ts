import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';

/** `GET /metrics`: every metric of the service's registry in the Prometheus text format. */
@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  /** The registry's current values; gauges with a collect function are read now. */
  @Get('metrics')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
