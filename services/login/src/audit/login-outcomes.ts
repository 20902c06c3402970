import { randomUUID } from 'node:crypto';
import { loginEvents, streamIdOf } from '@gate/events';
import { EventStore } from '@gate/eventstore';
import { currentCorrelationId } from '@gate/observability';
import { Logger } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import type { LoginOutcomes } from '../login/complete-login';
import { LoginError } from '../login/login-errors';

/** Outcome label of a failed login: the error code's name, e.g. `invalid_state`. */
function outcomeOf(error: LoginError): string {
  return error.kind.toLowerCase();
}

/**
 * Records every callback's outcome: `logins_total{provider,outcome}` and a LoginSucceeded or
 * LoginFailed event (one `login-attempt:<uuid>` stream each) in login's event store. A failure to
 * write the audit event is logged and does not change what the user sees.
 */
export class RecordedLoginOutcomes implements LoginOutcomes {
  private readonly logins: Counter<'provider' | 'outcome'>;
  private readonly log = new Logger('LoginOutcomes');

  constructor(
    private readonly store: EventStore<typeof loginEvents.definitions>,
    registry: Registry,
    providerIds: readonly string[],
    outstanding: () => Promise<number>,
  ) {
    this.logins = new Counter({ name: 'logins_total', help: 'Login callbacks by provider and outcome (success or the error kind).', labelNames: ['provider', 'outcome'], registers: [registry] });
    for (const provider of providerIds) this.logins.inc({ provider, outcome: 'success' }, 0);
    new Gauge({
      name: 'login_states_outstanding',
      help: 'Logins started and neither completed nor expired.',
      registers: [registry],
      async collect() {
        this.set(await outstanding());
      },
    });
  }

  async succeeded(provider: string, userId: string, sessionId: string, clientIp: string | null): Promise<void> {
    this.logins.inc({ provider, outcome: 'success' });
    await this.append(userId, { type: 'LoginSucceeded', data: { provider, userId, sessionId, clientIp } });
  }

  async failed(provider: string | null, error: LoginError, clientIp: string | null): Promise<void> {
    this.logins.inc({ provider: provider ?? 'unknown', outcome: outcomeOf(error) });
    await this.append('anonymous', { type: 'LoginFailed', data: { provider: provider ?? 'unknown', reason: error.code, clientIp } });
  }

  private async append(actor: string, event: Parameters<EventStore<typeof loginEvents.definitions>['append']>[2][number]): Promise<void> {
    try {
      await this.store.append(streamIdOf('login-attempt', randomUUID()), 0, [event], { actor, correlationId: currentCorrelationId() ?? randomUUID(), occurredAt: new Date() });
    } catch (err) {
      this.log.error(`could not record ${event.type}: ${(err as Error).message}`);
    }
  }
}
