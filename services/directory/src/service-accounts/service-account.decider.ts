import type { DirectoryEvent } from '@gate/events';
import type { Decider } from '@gate/eventstore';
import { DirectoryError } from '../directory-error';

// A service account: a directory principal for a machine client, in stream
// `service-account:svc:<name>`. It holds API tokens and can be put in groups like a user. A deleted
// id is retired for good: created again it would bring its old tokens and memberships back to life.

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** Whether the account exists now, or existed and was deleted (its id is never used again). */
export type ServiceAccountState = { status: 'none' | 'deleted' } | { status: 'active'; accountId: string; name: string };

/** `ci` or `svc:ci` (any case) → `svc:ci`; null when it cannot be a service account id. */
export function serviceAccountIdOf(raw: string): string | null {
  const id = raw.trim().toLowerCase();
  const full = id.startsWith('svc:') ? id : `svc:${id}`;
  return /^svc:[a-z0-9][a-z0-9-]{0,62}$/.test(full) ? full : null;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** Commands of the service-account aggregate. */
export type ServiceAccountCommand =
  | { type: 'CreateServiceAccount'; accountId: string; name: string }
  | { type: 'DeleteServiceAccount'; accountId: string };

// ---------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------

/** Creates and deletes service accounts. Pure. */
export const serviceAccountDecider: Decider<ServiceAccountCommand, ServiceAccountState, DirectoryEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ServiceAccountCreated':
        return { status: 'active', accountId: event.data.accountId, name: event.data.name };
      case 'ServiceAccountDeleted':
        return { status: 'deleted' };
      default:
        return state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'CreateServiceAccount':
        if (state.status === 'active') {
          throw DirectoryError.conflict('DIRECTORY.SERVICE_ACCOUNT_EXISTS', `service account ${command.accountId} already exists`);
        }
        if (state.status === 'deleted') {
          throw DirectoryError.conflict('DIRECTORY.SERVICE_ACCOUNT_ID_RETIRED', `${command.accountId} was deleted and its id is retired; choose another id`);
        }
        return [{ type: 'ServiceAccountCreated', data: { accountId: command.accountId, name: command.name } }];
      case 'DeleteServiceAccount':
        if (state.status !== 'active') {
          throw DirectoryError.notFound('DIRECTORY.SERVICE_ACCOUNT_NOT_FOUND', `no service account ${command.accountId}`);
        }
        return [{ type: 'ServiceAccountDeleted', data: { accountId: command.accountId } }];
      default: {
        const _exhaustive: never = command;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  },
};
