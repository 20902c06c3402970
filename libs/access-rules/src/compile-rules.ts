import { compileRule, type CompiledRule } from './compiled-rule';
import { buildHostIndex, type HostIndex } from './host-index';
import { parseHostPattern } from './host-pattern';
import { compareRules, type AccessRule } from './rule';
import { AccessRuleError } from './rule-error';
import { storedRule } from './stored-rule';

/**
 * A rule set ready for `decide` and `explain`: immutable, safe to share, and rebuilt as a whole
 * when the rules change (build the new one, then swap the reference).
 */
export interface CompiledRules {
  /** Every rule, normalised, in evaluation order (see `compareRules`). */
  readonly rules: readonly AccessRule[];
  /** Per-host lists of compiled rules, each already in evaluation order. Internal to the engine. */
  readonly index: HostIndex<CompiledRule>;
}

/**
 * Compiles a rule set once, so that each decision is a map lookup and a short walk. The rules are
 * stored ones (accepted by `validateRule` when they were written): each is read with `storedRule`
 * (normalised rules pass unchanged), so a stricter input check never stops an old rule from
 * compiling, and a rule set the engine cannot match is refused whole, never half-applied. Throws
 * `AccessRuleError`: whatever `storedRule` throws, or `RULES.DUPLICATE_ID` when two rules share an
 * id (the id is the final tie-break, so it must be unique for the order to be deterministic).
 */
export function compileRules(rules: readonly AccessRule[]): CompiledRules {
  const seen = new Set<string>();
  const items = rules.map((input) => {
    const rule = storedRule(input);
    if (seen.has(rule.id)) {
      const message = `rule id ${JSON.stringify(rule.id)} is used twice`;
      throw new AccessRuleError('RULES.DUPLICATE_ID', message, { field: 'id', ruleId: rule.id });
    }
    seen.add(rule.id);
    return { pattern: parseHostPattern(rule.host), value: compileRule(rule) };
  });
  const index = buildHostIndex(items, (a, b) => compareRules(a.rule, b.rule));
  const ordered = items.map((item) => item.value.rule).sort(compareRules);
  return Object.freeze({ rules: Object.freeze(ordered), index });
}
