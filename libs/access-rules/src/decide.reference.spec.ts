import { compileRules } from './compile-rules';
import { decide } from './decide';
import type { Principal } from './decision';
import { hostMatches, parseHostPattern } from './host-pattern';
import { normalizePath } from './normalize-path';
import { compareRules, type AccessRule, type Effect, type RuleSubjects } from './rule';

// The semantics written the slow, obvious way: every rule checked one by one, in order; no index.
// Answers "<outcome> by <rule id | default>".
function reference(
  sorted: readonly AccessRule[],
  request: { host: string; path: string; method: string },
  principal: Principal | null,
): string {
  const { host, path, method } = request;
  const covering = sorted.filter((r) => {
    if (!hostMatches(parseHostPattern(r.host), host)) return false;
    if (r.methods && !r.methods.includes(method)) return false;
    if (!r.paths) return true;
    return r.paths.some((text) => {
      const prefix = (normalizePath(text) as { path: string }).path;
      const [p, q] = r.ignoreCase ? [path.toLowerCase(), prefix.toLowerCase()] : [path, prefix];
      return p === q || p.startsWith(q.endsWith('/') ? q : `${q}/`);
    });
  });
  for (const r of covering) {
    const users = r.subjects?.users ?? [];
    const groups = r.subjects?.groups ?? [];
    const open = users.length + groups.length === 0;
    if (principal === null) {
      if (open) return `${r.effect === 'public' ? 'public' : 'authenticate'} by ${r.id}`;
    } else if (
      r.effect === 'public' ||
      open ||
      users.includes(principal.id) ||
      groups.some((g) => principal.groups.has(g))
    ) {
      return `${r.effect} by ${r.id}`;
    }
  }
  return principal === null ? 'authenticate by default' : 'deny by default';
}

describe('decide against the reference semantics', () => {
  let seed = 42;
  const pick = <T>(items: readonly T[]): T => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return items[(seed >>> 8) % items.length];
  };
  const labels = ['a', 'b', 'c', 'api', 'www', 'x', 'y'];
  const prefixes = () => pick(['', `${pick(labels)}.`, `${pick(labels)}.${pick(labels)}.`]);
  const hostName = () => prefixes() + pick(['example.com', 'b.example.com', 'example.org']);
  const paths = ['/', '/admin', '/admin/', '/Admin', '/api/v1', '/api', '/public'];
  const subjectChoices: (RuleSubjects | undefined)[] = [
    undefined,
    { users: ['u1'] },
    { groups: ['g1'] },
    { groups: ['g2'], users: ['u2'] },
  ];

  it('given 200 random rules, when 5,000 random requests are decided, then every answer agrees', () => {
    const rules = Array.from({ length: 200 }, (_, i): AccessRule => {
      const effect = pick<Effect>(['allow', 'allow', 'allow', 'deny', 'deny', 'public']);
      const subjects = effect === 'public' ? undefined : pick(subjectChoices);
      const scoped = effect !== 'allow' || pick([true, false]);
      return {
        id: `r${i}`,
        priority: pick([1, 2, 3]),
        host: pick(['*.', '']) + hostName(),
        effect,
        ...(scoped ? { paths: [pick(paths), pick(paths)] } : {}),
        ...(pick([true, false, false]) ? { methods: [pick(['GET', 'POST'])] } : {}),
        ...(subjects ? { subjects } : {}),
        ...(pick([true, false, false]) ? { ignoreCase: true } : {}),
      };
    });
    const compiled = compileRules(rules);
    const sorted = [...compiled.rules].sort(compareRules);
    const principals: (Principal | null)[] = [
      null,
      { id: 'u1', groups: new Set() },
      { id: 'u2', groups: new Set(['g1']) },
      { id: 'u3', groups: new Set(['g2']) },
    ];
    const requestPaths = [...paths, '/adminx', '/ADMIN/x', '/api/v1/users', '/public/x', '/other'];
    const seen: Record<string, number> = {};
    const disagreements: unknown[] = [];

    for (let i = 0; i < 5000; i++) {
      const request = { host: hostName(), path: pick(requestPaths), method: pick(['GET', 'POST', 'PUT']) };
      const principal = pick(principals);
      const decision = decide(compiled, request, principal);
      const actual = `${decision.outcome} by ${decision.rule?.id ?? 'default'}`;
      const expected = reference(sorted, request, principal);
      if (actual !== expected) disagreements.push({ request, principal: principal?.id, actual, expected });
      const kind = `${decision.outcome}/${decision.reason}`;
      seen[kind] = (seen[kind] ?? 0) + 1;
    }

    expect(disagreements).toEqual([]);
    // The sample must exercise every outcome, by rule and by default, or agreeing proves little.
    const kinds = ['allow', 'deny', 'public', 'authenticate'].map((outcome) => `${outcome}/rule`);
    kinds.push('deny/no-rule', 'authenticate/no-rule');
    expect(kinds.filter((kind) => !(seen[kind] > 100))).toEqual([]);
  });
});
