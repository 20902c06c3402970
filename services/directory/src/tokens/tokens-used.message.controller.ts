import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DIRECTORY_TOKENS_USED, tokensUsedMessage } from '@gate/events';
import { TokenReadModel } from '../read-model/token-read-model';

/** Verify's batched reports of API-token use (`directory.tokens-used`), kept as last-used times. */
@Controller()
export class TokensUsedMessageController {
  private readonly logger = new Logger('TokensUsed');

  constructor(@Inject(TokenReadModel) private readonly tokens: TokenReadModel) {}

  @EventPattern(DIRECTORY_TOKENS_USED)
  async tokensUsed(@Payload() data: unknown): Promise<void> {
    const parsed = tokensUsedMessage.safeParse(data);
    if (!parsed.success) {
      this.logger.warn('ignored a malformed tokens-used report');
      return;
    }
    await this.tokens.markTokensUsed(parsed.data.uses);
  }
}
