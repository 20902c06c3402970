import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { SessionsError } from '../session/session-error';
import { Caller, CallerResolver } from './caller';

/** Lets a request through only when it proves a caller (then `@CurrentCaller()` has them); else SESSIONS.UNAUTHENTICATED. */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(private readonly callers: CallerResolver) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; caller?: Caller }>();
    const caller = await this.callers.resolve(req.headers);
    if (!caller) throw new SessionsError('SESSIONS.UNAUTHENTICATED', 'not logged in');
    req.caller = caller;
    return true;
  }
}
