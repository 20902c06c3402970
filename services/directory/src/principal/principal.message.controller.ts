import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { DIRECTORY_PATTERNS, principalRequest, type PrincipalReply } from '@gate/events';
import { PrincipalService } from './principal.service';

/** The NATS door to `PrincipalService`: `directory.principal` ({principalId}) → {exists, disabled, groups}. */
@Controller()
export class PrincipalMessageController {
  constructor(@Inject(PrincipalService) private readonly principals: PrincipalService) {}

  @MessagePattern(DIRECTORY_PATTERNS.principal)
  principal(@Payload() data: unknown): Promise<PrincipalReply> {
    const parsed = principalRequest.safeParse(data);
    if (!parsed.success) throw new RpcException({ code: 'DIRECTORY.INVALID_INPUT', message: 'expected { principalId }' });
    return this.principals.lookup(parsed.data.principalId);
  }
}
