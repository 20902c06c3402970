import { formatHostPattern, parseHostPattern } from './host-pattern';
import { EFFECTS, type AccessRule, type Effect, type RuleSubjects } from './rule';
import { AccessRuleError, type RuleErrorCode } from './rule-error';
import { parseRulePath } from './rule-path';

const FIELDS = new Set([
  'id',
  'priority',
  'host',
  'paths',
  'methods',
  'effect',
  'subjects',
  'ignoreCase',
]);
const SUBJECT_FIELDS = new Set(['users', 'groups']);
const METHOD = /^[A-Z]{1,20}$/;
// Printable, no control characters; ids and users hold no whitespace, a group may hold inner spaces.
const ID = /^[\x21-\x7e]{1,200}$/;
const USER = /^[^\s\x00-\x1f\x7f]{1,320}$/;
const GROUP = /^[^\x00-\x1f\x7f]{1,256}$/;

type Fail = (code: RuleErrorCode, field: string, problem: string) => AccessRuleError;

/**
 * Checks an untrusted rule (new input, say parsed JSON) and returns it normalised and deeply frozen:
 * the host pattern in canonical form (lower-case, no port, no trailing dot), each path prefix in
 * canonical form (see `parseRulePath`), methods, users and groups without duplicates, users
 * lower-cased, `ignoreCase` present only when true. A normalised rule validates to an equal rule.
 *
 * Throws `AccessRuleError` with a stable code: `RULES.INVALID_RULE` (not an object, an unknown
 * field, a non-boolean `ignoreCase`), `RULES.INVALID_ID` (1-200 printable ASCII characters),
 * `RULES.INVALID_PRIORITY` (a safe integer), `RULES.INVALID_HOST_PATTERN`, `RULES.INVALID_PATH`
 * (a non-empty list of prefixes starting with `/`), `RULES.INVALID_METHOD` (a non-empty list of
 * 1-20 upper-case letters), `RULES.INVALID_EFFECT`, `RULES.INVALID_SUBJECTS` (given but naming no
 * one, or a malformed user or group) and `RULES.PUBLIC_WITH_SUBJECTS` (a public rule names no one).
 * Unknown fields are refused so that a misspelt `path` cannot silently widen a rule to a whole host.
 * For input only: stored rules are read with `storedRule`, so these checks may grow stricter.
 */
export function validateRule(input: unknown): AccessRule {
  if (!isRecord(input)) throw new AccessRuleError('RULES.INVALID_RULE', 'a rule must be an object');
  const { id } = input;
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new AccessRuleError('RULES.INVALID_ID', 'a rule id must be 1-200 printable ASCII characters', {
      field: 'id',
    });
  }
  const fail: Fail = (code, field, problem) =>
    new AccessRuleError(code, `rule ${JSON.stringify(id)}: ${problem}`, { field, ruleId: id });

  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) throw fail('RULES.INVALID_RULE', key, `unknown field "${key}"`);
  }
  const { priority, effect, ignoreCase } = input;
  if (typeof priority !== 'number' || !Number.isSafeInteger(priority)) {
    throw fail('RULES.INVALID_PRIORITY', 'priority', 'priority must be an integer');
  }
  if (!EFFECTS.includes(effect as Effect)) {
    throw fail('RULES.INVALID_EFFECT', 'effect', 'effect must be "allow", "deny" or "public"');
  }
  if (ignoreCase !== undefined && typeof ignoreCase !== 'boolean') {
    throw fail('RULES.INVALID_RULE', 'ignoreCase', 'ignoreCase must be true or false');
  }
  const host = parseHost(input.host, fail);
  const paths = input.paths === undefined ? undefined : parsePaths(input.paths, fail);
  const methods = input.methods === undefined ? undefined : parseMethods(input.methods, fail);
  if (input.subjects !== undefined && effect === 'public') {
    const problem = 'a public rule lets everyone in and names no subjects';
    throw fail('RULES.PUBLIC_WITH_SUBJECTS', 'subjects', problem);
  }
  const subjects = input.subjects === undefined ? undefined : parseSubjects(input.subjects, fail);
  return Object.freeze({
    id,
    priority,
    host,
    ...(paths ? { paths } : {}),
    ...(methods ? { methods } : {}),
    effect: effect as Effect,
    ...(subjects ? { subjects } : {}),
    ...(ignoreCase === true ? { ignoreCase } : {}),
  });
}

function parseHost(raw: unknown, fail: Fail): string {
  if (typeof raw !== 'string') throw fail('RULES.INVALID_HOST_PATTERN', 'host', 'host must be a string');
  try {
    return formatHostPattern(parseHostPattern(raw));
  } catch (error) {
    if (error instanceof AccessRuleError) throw fail(error.code, 'host', error.message);
    throw error;
  }
}

function parsePaths(raw: unknown, fail: Fail): readonly string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    const problem = 'paths must be a non-empty list (leave it out to cover every path)';
    throw fail('RULES.INVALID_PATH', 'paths', problem);
  }
  const paths = raw.map((path) => {
    try {
      return parseRulePath(path);
    } catch (error) {
      if (error instanceof AccessRuleError) throw fail(error.code, 'paths', error.message);
      throw error;
    }
  });
  return Object.freeze([...new Set(paths)]);
}

function parseMethods(raw: unknown, fail: Fail): readonly string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    const problem = 'methods must be a non-empty list (leave it out to cover every method)';
    throw fail('RULES.INVALID_METHOD', 'methods', problem);
  }
  for (const method of raw) {
    if (typeof method !== 'string' || !METHOD.test(method)) {
      const problem = `method ${JSON.stringify(method)} is not 1-20 upper-case letters`;
      throw fail('RULES.INVALID_METHOD', 'methods', problem);
    }
  }
  return Object.freeze([...new Set(raw as string[])]);
}

function parseSubjects(raw: unknown, fail: Fail): RuleSubjects {
  if (!isRecord(raw)) throw fail('RULES.INVALID_SUBJECTS', 'subjects', 'subjects must be an object');
  for (const key of Object.keys(raw)) {
    if (!SUBJECT_FIELDS.has(key)) {
      throw fail('RULES.INVALID_SUBJECTS', `subjects.${key}`, `unknown field "subjects.${key}"`);
    }
  }
  const users = parseNames(raw.users, 'users', USER, fail).map((user) => user.toLowerCase());
  const groups = parseNames(raw.groups, 'groups', GROUP, fail);
  if (users.length + groups.length === 0) {
    const problem = 'subjects must name at least one user or group (leave it out to cover everyone)';
    throw fail('RULES.INVALID_SUBJECTS', 'subjects', problem);
  }
  const subjects: { users?: readonly string[]; groups?: readonly string[] } = {};
  if (users.length > 0) subjects.users = Object.freeze([...new Set(users)]);
  if (groups.length > 0) subjects.groups = Object.freeze([...new Set(groups)]);
  return Object.freeze(subjects);
}

function parseNames(raw: unknown, field: 'users' | 'groups', pattern: RegExp, fail: Fail): string[] {
  if (raw === undefined) return [];
  const where = `subjects.${field}`;
  if (!Array.isArray(raw)) throw fail('RULES.INVALID_SUBJECTS', where, `${where} must be a list`);
  for (const name of raw) {
    if (typeof name !== 'string' || !pattern.test(name) || name.trim() !== name) {
      throw fail('RULES.INVALID_SUBJECTS', where, `${JSON.stringify(name)} in ${where} is not a valid name`);
    }
  }
  return raw as string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
