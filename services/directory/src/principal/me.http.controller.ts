import { Get, Inject } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { AdminAccessGuard, SignedIn } from '../auth/admin-access.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../http/caller.decorator';
import { DirectoryApiController } from '../http/directory-api.decorator';
import { PrincipalService } from './principal.service';

/** `GET /api/directory/me`: who am I, and am I an admin (any authenticated principal). */
@DirectoryApiController('', 'me')
export class MeHttpController {
  constructor(
    @Inject(PrincipalService) private readonly principals: PrincipalService,
    @Inject(AdminAccessGuard) private readonly access: AdminAccessGuard,
  ) {}

  @Get('me')
  @SignedIn()
  @ApiOkResponse({ description: '{ id, via, admin, exists, disabled, groups }' })
  async me(@CurrentCaller() caller: Caller) {
    return { id: caller.id, via: caller.via, admin: await this.access.isAdmin(caller), ...(await this.principals.lookup(caller.id)) };
  }
}
