import { compileRules } from './compile-rules';
import { decide } from './decide';
import type { Decision, Principal } from './decision';
import { normalizeHost } from './normalize-host';
import { normalizePath } from './normalize-path';
import type { AccessRule } from './rule';

/** Shared by the `decide` specs: rules with defaults, a few principals, and `ask` as verify asks. */
export type RuleFields = Partial<AccessRule> & Pick<AccessRule, 'id'>;
export const rule = (fields: RuleFields): AccessRule => ({
  priority: 10,
  host: 'app.example.com',
  effect: 'allow',
  ...fields,
});

export const alice: Principal = { id: 'alice@example.com', groups: new Set(['staff']) };
export const bob: Principal = { id: 'bob@example.com', groups: new Set(['contractors', 'staff']) };
export const carol: Principal = { id: 'carol@example.com', groups: new Set() };
export const dave: Principal = { id: 'dave@example.com', groups: new Set(['Staff']) };

/** As verify does: normalise the forwarded host and URI (`host/path?query`), then decide. */
export function ask(rules: RuleFields[], forwarded: string, who: Principal | null, method = 'GET'): Decision {
  const slash = forwarded.indexOf('/');
  const host = normalizeHost(forwarded.slice(0, slash));
  const path = normalizePath(forwarded.slice(slash));
  if (host === null || !path.ok) throw new Error(`malformed test request ${forwarded}`);
  return decide(compileRules(rules.map(rule)), { host, path: path.path, method }, who);
}
export const outcome = (...args: Parameters<typeof ask>) => ask(...args).outcome;
export const ruleId = (...args: Parameters<typeof ask>) => ask(...args).rule?.id;
