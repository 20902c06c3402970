/**
 * What a rule does to the requests it covers: `allow` lets its subjects in, `deny` keeps its
 * subjects out, `public` lets everyone in, logged in or not.
 */
export type Effect = 'allow' | 'deny' | 'public';

/** The effects in their tie-break order at equal priority: deny, then public, then allow. */
export const EFFECTS: readonly Effect[] = Object.freeze(['deny', 'public', 'allow'] as const);

/** Whom an `allow` or `deny` rule names: users by canonical id (lower-cased e-mail), groups by name. */
export interface RuleSubjects {
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
}

/**
 * One access rule, as `validateRule` returns it (normalised).
 *
 * - `host`: `example.com`, an IP literal, or `*.example.com` (every subdomain, at any depth).
 * - `paths`: path prefixes matched whole segment by segment (`/admin` covers `/admin`, `/admin/`
 *   and `/admin/x`, not `/adminx`; `/admin/` covers `/admin/` and below, not `/admin`; `/`
 *   covers everything). Absent means every path. Case-sensitive unless `ignoreCase` (which folds
 *   ASCII letters only). The query string never takes part.
 * - `methods`: upper-case method names; absent means every method (GET does not imply HEAD).
 * - `subjects`: absent means an `allow` covers any logged-in user and a `deny` covers everyone; a
 *   `public` rule never names subjects.
 * - `priority`: an integer; lower numbers are evaluated first (see `compareRules`).
 */
export interface AccessRule {
  readonly id: string;
  readonly priority: number;
  readonly host: string;
  readonly paths?: readonly string[];
  readonly methods?: readonly string[];
  readonly effect: Effect;
  readonly subjects?: RuleSubjects;
  readonly ignoreCase?: boolean;
}

const EFFECT_RANK: { readonly [E in Effect]: number } = { deny: 0, public: 1, allow: 2 };

/**
 * The one evaluation order, a total order over rules with distinct ids:
 * 1. `priority` ascending (a lower number is evaluated first);
 * 2. at equal priority, `deny` before `public` before `allow`;
 * 3. then `id`, compared as strings by UTF-16 code units (not locale-dependent).
 * Returns a negative number when `a` is evaluated before `b`, positive when after, 0 for equal ids.
 */
export function compareRules(a: AccessRule, b: AccessRule): number {
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
  const rank = EFFECT_RANK[a.effect] - EFFECT_RANK[b.effect];
  if (rank !== 0) return rank;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
