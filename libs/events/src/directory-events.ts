import { z } from 'zod';
import { DomainEventOf, EnvelopeOf, EventCatalog } from './catalog';
import { isoTime, opaqueId, principalId, userId } from './fields';

// ---------------------------------------------------------------------------------------------
// Frozen older versions (never edit: events of these shapes are in the log)
// ---------------------------------------------------------------------------------------------

/** UserRegistered v1 (before canonical ids): the e-mail as typed and a `displayName`. */
export const userRegisteredV1 = z.object({ email: z.string().email(), displayName: z.string() });
export type UserRegisteredV1 = z.infer<typeof userRegisteredV1>;

/** v1 → v2: the canonical id is the lower-cased e-mail; `displayName` became `name`. */
export function upcastUserRegisteredV1(d: UserRegisteredV1) {
  return { userId: d.email.toLowerCase(), email: d.email, name: d.displayName };
}

// ---------------------------------------------------------------------------------------------
// Current versions
// ---------------------------------------------------------------------------------------------

/** An access rule as stored in events (validated in depth by @gate/access-rules). */
export const ruleData = z.object({
  id: opaqueId,
  priority: z.number().int(),
  host: z.string().min(1),
  paths: z.array(z.string()).optional(),
  methods: z.array(z.string()).optional(),
  effect: z.enum(['allow', 'deny', 'public']),
  subjects: z
    .object({ users: z.array(principalId).optional(), groups: z.array(opaqueId).optional() })
    .optional(),
  ignoreCase: z.boolean().optional(),
  description: z.string().optional(),
});

const name = z.string().min(1).max(200);

/** Every event of the directory context. */
export const directoryEvents = new EventCatalog('directory', {
  UserRegistered: {
    version: 2,
    schema: z.object({ userId, email: z.string().email(), name: z.string() }),
    upcasters: { 1: { schema: userRegisteredV1, up: upcastUserRegisteredV1 } },
  },
  UserUpdated: { version: 1, schema: z.object({ userId, name: z.string() }) },
  UserDisabled: { version: 1, schema: z.object({ userId }) },
  UserEnabled: { version: 1, schema: z.object({ userId }) },
  ServiceAccountCreated: { version: 1, schema: z.object({ accountId: principalId, name }) },
  ServiceAccountDeleted: { version: 1, schema: z.object({ accountId: principalId }) },
  GroupCreated: { version: 1, schema: z.object({ groupId: opaqueId, name }) },
  GroupRenamed: { version: 1, schema: z.object({ groupId: opaqueId, name }) },
  GroupDeleted: { version: 1, schema: z.object({ groupId: opaqueId }) },
  MemberAdded: { version: 1, schema: z.object({ groupId: opaqueId, member: principalId }) },
  MemberRemoved: { version: 1, schema: z.object({ groupId: opaqueId, member: principalId }) },
  RuleDefined: { version: 1, schema: z.object({ rule: ruleData }) },
  RuleChanged: { version: 1, schema: z.object({ rule: ruleData }) },
  RuleRemoved: { version: 1, schema: z.object({ ruleId: opaqueId }) },
  ApiTokenIssued: {
    version: 1,
    schema: z.object({
      tokenId: opaqueId,
      principal: principalId,
      name,
      /** SHA-256 of the secret, base64url: the secret itself is never stored. */
      tokenHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: isoTime.nullable(),
    }),
  },
  ApiTokenRevoked: { version: 1, schema: z.object({ tokenId: opaqueId }) },
});

export type DirectoryEvent = DomainEventOf<typeof directoryEvents.definitions>;
export type DirectoryEnvelope = EnvelopeOf<typeof directoryEvents.definitions>;
