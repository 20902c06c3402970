import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, applyDecorators, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AssertedPrincipal } from '@gate/identity-assertion';
import { ADMINS_GROUP } from '../groups/group.decider';
import { DirectoryReadModel } from '../read-model/directory-read-model';
import { API_TOKEN_STRATEGY } from './api-token.strategy';
import type { Caller } from './caller';

/** The passport strategy of verify's signed identity assertion (`@gate/identity-assertion`; off unless configured). */
export const ASSERTION_STRATEGY = 'assertion';

const SIGNED_IN_ONLY = 'directory:signed-in-only';

/**
 * Every admin API route: authenticate (an API token, the bootstrap token, or — when configured —
 * verify's signed assertion), else 401; then, unless the route is `@SignedIn()`, require an admin
 * (the bootstrap token, or an enabled member of `admins` in the read model), else 403.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  private readonly authenticate: CanActivate = new (AuthGuard([API_TOKEN_STRATEGY, ASSERTION_STRATEGY]))();

  constructor(
    @Inject(DirectoryReadModel) private readonly read: DirectoryReadModel,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.authenticate.canActivate(context);
    const request = context.switchToHttp().getRequest<{ user: Caller | AssertedPrincipal }>();
    const caller = callerOf(request.user);
    request.user = caller;
    if (this.reflector.get<boolean>(SIGNED_IN_ONLY, context.getHandler())) return true;
    if (!(await this.isAdmin(caller))) throw new ForbiddenException('only members of the admins group may use the directory API');
    return true;
  }

  /** The bootstrap token, or an enabled principal in `admins`. */
  async isAdmin(caller: Caller): Promise<boolean> {
    if (caller.via === 'bootstrap') return true;
    const [state, groups] = await Promise.all([this.read.principal(caller.id), this.read.groupsOf(caller.id)]);
    return !state.disabled && groups.includes(ADMINS_GROUP);
  }
}

/**
 * The caller either way in. An assertion names its principal in `sub`; its `groups` claim is
 * ignored: admin rights come from the directory's own read model only.
 */
function callerOf(user: Caller | AssertedPrincipal): Caller {
  return 'sub' in user ? { id: user.sub.toLowerCase(), via: 'assertion' } : user;
}

/** Marks a route that any authenticated principal may call (`GET /me`). */
export const SignedIn = () => SetMetadata(SIGNED_IN_ONLY, true);

/** The guard and its OpenAPI description, for a controller of the admin API. */
export const AdminApi = () =>
  applyDecorators(
    UseGuards(AdminAccessGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials (WWW-Authenticate: Bearer)' }),
    ApiForbiddenResponse({ description: 'Not a member of the admins group' }),
  );
