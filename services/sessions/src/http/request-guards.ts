import { SERVICE_CONFIG } from '@gate/config';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type SessionsConfig } from '../config';
import { SessionsError } from '../session/session-error';
import { Caller } from './caller';
import { checkCsrfToken, checkSameOrigin, CSRF_FIELD } from './csrf';

interface GuardedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  caller?: Caller;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses a state-changing request that the browser says came from another site (SESSIONS.CSRF). */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    if (!SAFE_METHODS.has(req.method)) checkSameOrigin(req.headers);
    return true;
  }
}

/** The JSON API takes JSON bodies only, so no HTML form of another site can post to it. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    const type = String(req.headers['content-type'] ?? '');
    if (req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(type)) throw new SessionsError('SESSIONS.INVALID_REQUEST', 'send a JSON body (Content-Type: application/json)');
    return true;
  }
}

/** A form post from the session page must carry the caller's CSRF token (run after CallerGuard). */
@Injectable()
export class CsrfTokenGuard implements CanActivate {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: SessionsConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    if (!req.caller) throw new SessionsError('SESSIONS.UNAUTHENTICATED', 'not logged in');
    checkCsrfToken(this.config.SESSION_KEYS, req.caller.csrfSubject, body[CSRF_FIELD]);
    return true;
  }
}
