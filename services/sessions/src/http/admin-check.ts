import { BoundedMap } from '@gate/bounded-map';
import { DIRECTORY_PATTERNS, PrincipalReply } from '@gate/events';
import { NATS_CLIENT, request } from '@gate/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { type Clock, CLOCK } from '../clock';

/** The directory group whose members administer everyone's sessions. */
export const ADMINS_GROUP = 'admins';
const CACHE_MS = 10_000;
const TIMEOUT_MS = 1_500;
/** Principals whose answer is remembered at most (FIFO in expiry order: expired ones go first). */
export const ADMIN_CACHE_MAX = 10_000;

/**
 * Whether a principal is an administrator: an enabled directory principal in the `admins` group,
 * asked over NATS (`directory.principal`) and cached 10 s. Fails closed: an unreachable directory
 * or an error reply means "not an admin" (and is not cached).
 */
@Injectable()
export class AdminCheck {
  readonly cache = new BoundedMap<string, { admin: boolean; until: number }>(ADMIN_CACHE_MAX);
  private readonly logger = new Logger('AdminCheck');

  constructor(
    @Inject(NATS_CLIENT) private readonly client: ClientProxy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async isAdmin(principalId: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(principalId);
    if (cached && cached.until > now) return cached.admin;
    try {
      const reply = await request<PrincipalReply>(this.client, DIRECTORY_PATTERNS.principal, { principalId }, TIMEOUT_MS);
      const admin = reply?.exists === true && reply.disabled === false && Array.isArray(reply.groups) && reply.groups.includes(ADMINS_GROUP);
      this.cache.dropOldestWhile((entry) => entry.until <= now);
      this.cache.delete(principalId); // re-inserted at the back: insertion order stays expiry order
      this.cache.set(principalId, { admin, until: now + CACHE_MS });
      return admin;
    } catch (err) {
      this.logger.warn(`directory unreachable, ${principalId} treated as not an admin: ${(err as Error).message}`);
      return false;
    }
  }
}
