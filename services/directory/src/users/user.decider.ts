import type { DirectoryEvent } from '@gate/events';
import type { Decider } from '@gate/eventstore';
import { DirectoryError } from '../directory-error';

// A user of the directory, in stream `user:<id>` where the id is the lower-cased e-mail.

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** What the user aggregate remembers: whether it exists, its name and whether it is disabled. */
export type UserState =
  | { status: 'none' }
  | { status: 'registered'; userId: string; email: string; name: string; disabled: boolean };

/** The canonical id of a user: the e-mail address, lower-cased. */
export function userIdOf(email: string): string {
  return email.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** Commands of the user aggregate; the e-mail is already validated at the edge. */
export type UserCommand =
  | { type: 'RegisterUser'; email: string; name: string }
  | { type: 'UpdateUser'; userId: string; name?: string; disabled?: boolean };

// ---------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------

/** Registers, renames, disables and enables users. Pure. */
export const userDecider: Decider<UserCommand, UserState, DirectoryEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered':
        return { status: 'registered', userId: event.data.userId, email: event.data.email, name: event.data.name, disabled: false };
      case 'UserUpdated':
        return state.status === 'registered' ? { ...state, name: event.data.name } : state;
      case 'UserDisabled':
        return state.status === 'registered' ? { ...state, disabled: true } : state;
      case 'UserEnabled':
        return state.status === 'registered' ? { ...state, disabled: false } : state;
      default:
        return state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterUser': {
        const userId = userIdOf(command.email);
        if (state.status === 'registered') throw DirectoryError.conflict('DIRECTORY.USER_EXISTS', `user ${userId} already exists`);
        return [{ type: 'UserRegistered', data: { userId, email: command.email.trim(), name: command.name } }];
      }
      case 'UpdateUser': {
        if (state.status !== 'registered') throw DirectoryError.notFound('DIRECTORY.USER_NOT_FOUND', `no user ${command.userId}`);
        const events: DirectoryEvent[] = [];
        if (command.name !== undefined && command.name !== state.name) events.push({ type: 'UserUpdated', data: { userId: state.userId, name: command.name } });
        if (command.disabled === true && !state.disabled) events.push({ type: 'UserDisabled', data: { userId: state.userId } });
        if (command.disabled === false && state.disabled) events.push({ type: 'UserEnabled', data: { userId: state.userId } });
        return events;
      }
      default: {
        const _exhaustive: never = command;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  },
};
