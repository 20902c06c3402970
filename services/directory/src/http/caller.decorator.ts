import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Caller } from '../auth/caller';

/** The authenticated caller (set by `AdminAccessGuard`). */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => ctx.switchToHttp().getRequest<{ user: Caller }>().user);
