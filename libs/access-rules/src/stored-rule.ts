import { formatHostPattern, parseHostPattern } from './host-pattern';
import { EFFECTS, type AccessRule, type Effect, type RuleSubjects } from './rule';
import { AccessRuleError, type RuleErrorCode } from './rule-error';
import { parseRulePath } from './rule-path';

/**
 * Reads a rule that was accepted once (an event's data, a read model's row) into the normalised
 * form the engine matches with. It checks only what matching cannot do without: an id, a numeric
 * priority, a known effect, a host pattern and path prefixes in the engine's grammar
 * (`parseHostPattern`, `parseRulePath`: the host index and the path matcher are built from them),
 * lists of strings, and subjects that name someone (an empty list has no safe meaning). It does
 * not apply `validateRule`'s input policy (unknown fields, the id's characters, method spelling,
 * empty lists, a public rule naming subjects, the characters of users and groups): fields it does
 * not know are dropped, users are lower-cased, a public rule's subjects are ignored, as matching
 * always did. So a `validateRule` made stricter never turns a stored rule into an error: tighten
 * input checks there, never here.
 *
 * Throws `AccessRuleError` (with the rule's id) only for a rule the engine cannot match at all.
 */
export function storedRule(data: unknown): AccessRule {
  if (!isRecord(data)) throw new AccessRuleError('RULES.INVALID_RULE', 'a stored rule is not an object');
  const { id, priority, effect } = data;
  if (typeof id !== 'string' || id.length === 0) {
    throw new AccessRuleError('RULES.INVALID_ID', 'a stored rule has no id', { field: 'id' });
  }
  const fail = (code: RuleErrorCode, field: string, problem: string) =>
    new AccessRuleError(code, `stored rule ${JSON.stringify(id)}: ${problem}`, { field, ruleId: id });
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw fail('RULES.INVALID_PRIORITY', 'priority', 'priority is not a number');
  }
  if (!EFFECTS.includes(effect as Effect)) {
    throw fail('RULES.INVALID_EFFECT', 'effect', `effect ${JSON.stringify(effect)} is unknown`);
  }
  const host = grammar(() => formatHostPattern(parseHostPattern(data.host as string)), 'host', fail);
  const paths =
    data.paths === undefined ? undefined : strings(data.paths, 'paths', fail).map((p) => grammar(() => parseRulePath(p), 'paths', fail));
  const methods = data.methods === undefined ? undefined : strings(data.methods, 'methods', fail);
  const subjects = data.subjects === undefined || effect === 'public' ? undefined : subjectsOf(data.subjects, fail);
  return Object.freeze({
    id,
    priority,
    host,
    ...(paths ? { paths: Object.freeze(paths) } : {}),
    ...(methods ? { methods: Object.freeze([...methods]) } : {}),
    effect: effect as Effect,
    ...(subjects ? { subjects } : {}),
    ...(data.ignoreCase === true ? { ignoreCase: true } : {}),
  });
}

type Fail = (code: RuleErrorCode, field: string, problem: string) => AccessRuleError;

function grammar<T>(parse: () => T, field: string, fail: Fail): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof AccessRuleError) throw fail(error.code, field, error.message);
    throw error;
  }
}

function strings(raw: unknown, field: string, fail: Fail): string[] {
  const code: RuleErrorCode =
    field === 'methods' ? 'RULES.INVALID_METHOD' : field === 'paths' ? 'RULES.INVALID_PATH' : 'RULES.INVALID_SUBJECTS';
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string')) {
    throw fail(code, field, `${field} is not a list of strings`);
  }
  return raw as string[];
}

function subjectsOf(raw: unknown, fail: Fail): RuleSubjects {
  if (!isRecord(raw)) throw fail('RULES.INVALID_SUBJECTS', 'subjects', 'subjects is not an object');
  const users = raw.users === undefined ? [] : strings(raw.users, 'subjects.users', fail).map((u) => u.toLowerCase());
  const groups = raw.groups === undefined ? [] : strings(raw.groups, 'subjects.groups', fail);
  // Matching would read "no one named" as "everyone": refuse rather than widen the rule.
  if (users.length + groups.length === 0) throw fail('RULES.INVALID_SUBJECTS', 'subjects', 'subjects name no one');
  return Object.freeze({
    ...(users.length > 0 ? { users: Object.freeze(users) } : {}),
    ...(groups.length > 0 ? { groups: Object.freeze([...groups]) } : {}),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
