import type { DirectoryEvent } from '@gate/events';
import type { Decider } from '@gate/eventstore';
import { DirectoryError } from '../directory-error';

// A group and its members, in stream `group:<id>`. The id is a lower-case slug (`wiki-editors`);
// members are user ids (lower-cased e-mails, who need not have logged in yet) or `svc:` ids.

/** The group whose members are the directory's administrators; it cannot be deleted. */
export const ADMINS_GROUP = 'admins';

/** A group id: a lower-case slug of letters, digits and dashes. */
export const GROUP_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** Whether the group exists now, its name and members (a deleted group may be created again, empty). */
export type GroupState = { status: 'none' | 'deleted' } | { status: 'active'; name: string; members: ReadonlySet<string> };

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/**
 * Commands of the group aggregate. `AddMembers` adds all of its members or none. `ifAbsent` makes a
 * create or an add a no-op for what is already done (the admin seed at boot); without it a repeat
 * is a conflict.
 */
export type GroupCommand =
  | { type: 'CreateGroup'; groupId: string; name: string; ifAbsent?: boolean }
  | { type: 'RenameGroup'; groupId: string; name: string }
  | { type: 'DeleteGroup'; groupId: string }
  | { type: 'AddMembers'; groupId: string; members: readonly string[]; ifAbsent?: boolean }
  | { type: 'RemoveMember'; groupId: string; member: string };

// ---------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------

/** Creates, renames and deletes groups and changes their members. Pure. */
export const groupDecider: Decider<GroupCommand, GroupState, DirectoryEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'GroupCreated':
        return { status: 'active', name: event.data.name, members: new Set() };
      case 'GroupRenamed':
        return state.status === 'active' ? { ...state, name: event.data.name } : state;
      case 'GroupDeleted':
        return { status: 'deleted' };
      case 'MemberAdded':
        return state.status === 'active' ? { ...state, members: new Set([...state.members, event.data.member]) } : state;
      case 'MemberRemoved': {
        if (state.status !== 'active') return state;
        const members = new Set(state.members);
        members.delete(event.data.member);
        return { ...state, members };
      }
      default:
        return state;
    }
  },

  decide(command, state) {
    const { groupId } = command;
    if (command.type === 'CreateGroup') {
      if (state.status !== 'active') return [{ type: 'GroupCreated', data: { groupId, name: command.name } }];
      if (command.ifAbsent) return [];
      throw DirectoryError.conflict('DIRECTORY.GROUP_EXISTS', `group ${groupId} already exists`);
    }
    if (state.status !== 'active') throw DirectoryError.notFound('DIRECTORY.GROUP_NOT_FOUND', `no group ${groupId}`);
    switch (command.type) {
      case 'RenameGroup':
        return command.name === state.name ? [] : [{ type: 'GroupRenamed', data: { groupId, name: command.name } }];
      case 'DeleteGroup':
        if (groupId === ADMINS_GROUP) {
          throw DirectoryError.conflict('DIRECTORY.GROUP_PROTECTED', `group ${ADMINS_GROUP} holds the administrators and cannot be deleted`);
        }
        return [{ type: 'GroupDeleted', data: { groupId } }];
      case 'AddMembers': {
        const members = [...new Set(command.members)];
        const already = members.filter((m) => state.members.has(m));
        if (already.length > 0 && !command.ifAbsent) {
          const which = already.length === 1 ? `${already[0]} is already a member` : `${already.join(', ')} are already members`;
          throw DirectoryError.conflict('DIRECTORY.ALREADY_MEMBER', `${which} of ${groupId}; nothing was added`);
        }
        return members.filter((m) => !state.members.has(m)).map((member) => ({ type: 'MemberAdded', data: { groupId, member } }));
      }
      case 'RemoveMember':
        if (!state.members.has(command.member)) {
          throw DirectoryError.notFound('DIRECTORY.NOT_A_MEMBER', `${command.member} is not a member of ${groupId}`);
        }
        return [{ type: 'MemberRemoved', data: { groupId, member: command.member } }];
      default: {
        const _exhaustive: never = command;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  },
};
