import { validateRule } from '@gate/access-rules';
import type { DirectoryEvent } from '@gate/events';
import type { Decider } from '@gate/eventstore';
import { DirectoryError } from '../directory-error';

// An access rule, in stream `rule:<id>`. Its data is exactly the `@gate/access-rules` AccessRule,
// normalised by `validateRule` before it is decided, so verify compiles what the directory checked.
// Only new input is validated (in `decide`): `evolve` takes a stored rule as it is, so a stricter
// validator never makes an old rule unchangeable, undeletable or a replay error.

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** The event-data shape of a normalised rule (plain, mutable arrays). */
export type RuleData = Extract<DirectoryEvent, { type: 'RuleDefined' }>['data']['rule'];

/** Whether the rule exists now and what it says, as stored (a removed id may be defined again). */
export type RuleState = { status: 'none' | 'removed' } | { status: 'active'; rule: RuleData };

/** Validates an untrusted rule (throws AccessRuleError, a 400) and returns it as event data. */
export function ruleDataOf(input: unknown): RuleData {
  const rule = validateRule(input);
  return {
    id: rule.id,
    priority: rule.priority,
    host: rule.host,
    ...(rule.paths ? { paths: [...rule.paths] } : {}),
    ...(rule.methods ? { methods: [...rule.methods] } : {}),
    effect: rule.effect,
    ...(rule.subjects
      ? {
          subjects: {
            ...(rule.subjects.users ? { users: [...rule.subjects.users] } : {}),
            ...(rule.subjects.groups ? { groups: [...rule.subjects.groups] } : {}),
          },
        }
      : {}),
    ...(rule.ignoreCase ? { ignoreCase: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** Commands of the rule aggregate; `rule` is untrusted input, validated by `decide`. */
export type RuleCommand =
  | { type: 'DefineRule'; rule: unknown }
  | { type: 'ChangeRule'; ruleId: string; rule: unknown }
  | { type: 'RemoveRule'; ruleId: string };

// ---------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------

/** Defines, changes and removes access rules. Pure. */
export const ruleDecider: Decider<RuleCommand, RuleState, DirectoryEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'RuleDefined':
      case 'RuleChanged':
        return { status: 'active', rule: event.data.rule };
      case 'RuleRemoved':
        return { status: 'removed' };
      default:
        return state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'DefineRule': {
        const rule = ruleDataOf(command.rule);
        if (state.status === 'active') throw DirectoryError.conflict('DIRECTORY.RULE_EXISTS', `rule ${rule.id} already exists`);
        return [{ type: 'RuleDefined', data: { rule } }];
      }
      case 'ChangeRule': {
        const rule = ruleDataOf(command.rule);
        if (rule.id !== command.ruleId) throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', `the rule's id ${rule.id} is not ${command.ruleId}`);
        if (state.status !== 'active') throw DirectoryError.notFound('DIRECTORY.RULE_NOT_FOUND', `no rule ${command.ruleId}`);
        if (sameRule(rule, state.rule)) return [];
        return [{ type: 'RuleChanged', data: { rule } }];
      }
      case 'RemoveRule':
        if (state.status !== 'active') throw DirectoryError.notFound('DIRECTORY.RULE_NOT_FOUND', `no rule ${command.ruleId}`);
        return [{ type: 'RuleRemoved', data: { ruleId: command.ruleId } }];
      default: {
        const _exhaustive: never = command;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  },
};

/** True when two rules' data are equal whatever their key order (stored jsonb keeps no order). */
function sameRule(a: RuleData, b: RuleData): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
