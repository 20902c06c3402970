import { compileRules, type AccessRule, type CompiledRules } from '@gate/access-rules';
import type { DirectoryEnvelope } from '@gate/events';

/** An API token as verify knows it: only the SHA-256 of its secret. */
export interface KnownToken {
  readonly tokenId: string;
  readonly principal: string;
  /** Epoch ms, or null when it never expires. */
  readonly expiresAtMs: number | null;
}

/**
 * The directory as verify needs it, in memory, fed by `AUTH_DIRECTORY` events in position order:
 * users (and who is disabled), service accounts, groups, memberships, rules (compiled into a
 * per-host matcher by `compileIfDirty`, never per request) and API tokens. Passive: it changes only
 * when told. Applying an event at or below the applied position is a no-op (redelivery is harmless).
 */
export class DirectoryState {
  /** Position (in the directory log) of the last event applied. */
  appliedPosition = 0;
  /** Bumped whenever a principal's groups or status may have changed: cached identities are rebuilt. */
  version = 0;
  private compiledRules: CompiledRules | null = null;
  /** Why the last compile failed (verify answers 503 rather than decide with a partial rule set). */
  compileError: string | null = null;

  readonly users = new Map<string, { email: string; name: string }>();
  readonly disabled = new Set<string>();
  readonly serviceAccounts = new Map<string, string>();
  readonly groups = new Set<string>();
  readonly memberships = new Map<string, Set<string>>();
  readonly rules = new Map<string, AccessRule>();
  readonly tokensByHash = new Map<string, KnownToken>();
  private readonly hashByTokenId = new Map<string, string>();
  private rulesDirty = true;

  /** Applies one event; returns false when it was at or below the applied position. */
  apply(event: DirectoryEnvelope): boolean {
    if (event.position <= this.appliedPosition) return false;
    this.appliedPosition = event.position;
    this.evolve(event);
    return true;
  }

  /**
   * The rules as last compiled; null before the first compile or when the rule set cannot be
   * compiled. Never compiles: rule events only mark the rules dirty.
   */
  get compiled(): CompiledRules | null {
    return this.compiledRules;
  }

  /**
   * Compiles the rules if a rule event was applied since the last compile. The follower calls it
   * where it decides (once a replay or a burst of events is applied), so a burst compiles once.
   */
  compileIfDirty(): void {
    if (!this.rulesDirty) return;
    this.rulesDirty = false;
    try {
      this.compiledRules = compileRules([...this.rules.values()]);
      this.compileError = null;
    } catch (err) {
      // Fail closed: a rule set that cannot be compiled is not half-applied (verify answers 503).
      this.compiledRules = null;
      this.compileError = err instanceof Error ? err.message : String(err);
    }
  }

  /** The directory groups of a principal (empty when none). */
  groupsOf(principal: string): ReadonlySet<string> {
    return this.memberships.get(principal) ?? EMPTY;
  }

  private evolve(event: DirectoryEnvelope): void {
    switch (event.type) {
      case 'UserRegistered':
        this.users.set(event.data.userId, { email: event.data.email, name: event.data.name });
        return this.changed();
      case 'UserUpdated': {
        const user = this.users.get(event.data.userId);
        if (user) user.name = event.data.name;
        return this.changed();
      }
      case 'UserDisabled':
        this.disabled.add(event.data.userId);
        return this.changed();
      case 'UserEnabled':
        this.disabled.delete(event.data.userId);
        return this.changed();
      case 'ServiceAccountCreated':
        this.serviceAccounts.set(event.data.accountId, event.data.name);
        return this.changed();
      case 'ServiceAccountDeleted':
        this.serviceAccounts.delete(event.data.accountId);
        return this.changed();
      case 'GroupCreated':
      case 'GroupRenamed':
        this.groups.add(event.data.groupId);
        return this.changed();
      case 'GroupDeleted':
        this.groups.delete(event.data.groupId);
        for (const groups of this.memberships.values()) groups.delete(event.data.groupId);
        return this.changed();
      case 'MemberAdded': {
        let groups = this.memberships.get(event.data.member);
        if (!groups) this.memberships.set(event.data.member, (groups = new Set()));
        groups.add(event.data.groupId);
        return this.changed();
      }
      case 'MemberRemoved':
        this.memberships.get(event.data.member)?.delete(event.data.groupId);
        return this.changed();
      case 'RuleDefined':
      case 'RuleChanged':
        this.rules.set(event.data.rule.id, event.data.rule as AccessRule);
        return this.rulesChanged();
      case 'RuleRemoved':
        this.rules.delete(event.data.ruleId);
        return this.rulesChanged();
      case 'ApiTokenIssued': {
        const { tokenId, principal, tokenHash, expiresAt } = event.data;
        this.tokensByHash.set(tokenHash, { tokenId, principal, expiresAtMs: expiresAt === null ? null : Date.parse(expiresAt) });
        this.hashByTokenId.set(tokenId, tokenHash);
        return;
      }
      case 'ApiTokenRevoked': {
        const hash = this.hashByTokenId.get(event.data.tokenId);
        if (hash !== undefined) this.tokensByHash.delete(hash);
        this.hashByTokenId.delete(event.data.tokenId);
        return;
      }
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  private changed(): void {
    this.version++;
  }

  private rulesChanged(): void {
    this.rulesDirty = true;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
