import { SERVICE_CONFIG } from '@gate/config';
import { AssertionStrategy } from '@gate/identity-assertion';
import { sessionCookieValues, verifySessionToken } from '@gate/session-token';
import { createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../clock';
import { type SessionsConfig } from '../config';
import { SessionReadModel } from '../read-model/session-read-model';
import { AdminCheck } from './admin-check';

/** Who is calling the HTTP door, and how they proved it. */
export interface Caller {
  principalId: string;
  email: string;
  name: string;
  /** The caller's own session (the "this device" one), null when they came with an assertion. */
  sessionId: string | null;
  isAdmin: boolean;
  /** What their CSRF token is bound to. */
  csrfSubject: string;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Finds the caller of a request: first by their session cookie (a token login issued, whose
 * session is active and unexpired), then by verify's signed identity assertion when configured.
 * Admin rights come from the directory's `admins` group. Never throws for bad input.
 */
@Injectable()
export class CallerResolver {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: SessionsConfig,
    private readonly readModel: SessionReadModel,
    private readonly admins: AdminCheck,
    private readonly assertion: AssertionStrategy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller, or null when the request proves no one. */
  async resolve(headers: Headers): Promise<Caller | null> {
    const who = (await this.bySessionCookie(headers)) ?? (await this.byAssertion(headers));
    if (!who) return null;
    return { ...who, isAdmin: await this.admins.isAdmin(who.principalId) };
  }

  private async bySessionCookie(headers: Headers): Promise<Omit<Caller, 'isAdmin'> | null> {
    for (const token of sessionCookieValues(headers['cookie'], this.config.SESSION_COOKIE_NAME)) {
      const sessionId = verifySessionToken(this.config.SESSION_KEYS, token);
      if (!sessionId) continue;
      const session = await this.readModel.find(sessionId, this.clock.now());
      if (session?.status === 'active') return { principalId: session.userId, email: session.email, name: session.name, sessionId, csrfSubject: `session:${sessionId}` };
    }
    return null;
  }

  private async byAssertion(headers: Headers): Promise<Omit<Caller, 'isAdmin'> | null> {
    const claims = await this.assertion.validate({ headers });
    if (!claims) return null;
    return { principalId: claims.sub, email: claims.email, name: claims.name, sessionId: null, csrfSubject: `principal:${claims.sub}` };
  }
}

/** The caller that `CallerGuard` found (`@CurrentCaller() caller: Caller`). */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => ctx.switchToHttp().getRequest<{ caller: Caller }>().caller);
