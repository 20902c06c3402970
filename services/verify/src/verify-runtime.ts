import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ClientProxy } from '@nestjs/microservices';
import { SERVICE_CONFIG } from '@gate/config';
import { NATS_CLIENT, NatsLink, request } from '@gate/messaging';
import { ReadinessRegistry } from '@gate/observability';
import { RawRoutes } from '@gate/service-app';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { VerifyConfig } from './config';
import { createVerify, type Verify } from './create-verify';
import { answerClientErrors } from './http/client-errors';
import { FORWARD_AUTH_PATH, installJwksRoute } from './http/forward-auth.route';
import { followStreams } from './stream/stream-follower';

/**
 * Verify inside the Nest app: `createVerify` with the app's NATS link and client, metrics registry
 * and logger; the forwardAuth route ahead of fastify, the JWKS route on it, the readiness check;
 * started with the app, stopped before the NATS connection drains.
 */
@Injectable()
export class VerifyRuntime implements OnModuleInit, BeforeApplicationShutdown {
  readonly verify: Verify;

  constructor(
    @Inject(SERVICE_CONFIG) config: VerifyConfig,
    link: NatsLink,
    @Inject(NATS_CLIENT) client: ClientProxy,
    @Inject(Registry) registry: Registry,
    private readonly readiness: ReadinessRegistry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly rawRoutes: RawRoutes,
  ) {
    this.verify = createVerify(config, {
      feed: followStreams(link),
      request: (pattern, data, timeoutMs) => request(client, pattern, data, timeoutMs),
      emit: (pattern, data) => client.emit(pattern, data).subscribe({ error: () => undefined }),
      registry,
      log: new Logger('Verify'),
    });
  }

  onModuleInit(): void {
    this.rawRoutes.add(FORWARD_AUTH_PATH, this.verify.handler);
    // Every answer no-store (FORWARD_AUTH.md), also fastify's 404 for a forwardAuth address with a typo.
    this.rawRoutes.setFastifyDefaultHeader('cache-control', 'no-store');
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) {
      installJwksRoute(fastify, () => this.verify.jwks());
      answerClientErrors(fastify.server);
    }
    this.readiness.register('verify-state', () => this.verify.isReady());
    this.verify.start();
  }

  /** Before the NATS connection drains: send the last reports, stop following. */
  beforeApplicationShutdown(): Promise<void> {
    return this.verify.stop();
  }
}
