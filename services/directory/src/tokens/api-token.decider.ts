import type { DirectoryEvent } from '@gate/events';
import type { Decider } from '@gate/eventstore';
import { DirectoryError } from '../directory-error';

// An API token, in stream `token:<id>`: issued to a user or a service account, stored as the
// hash of its secret, with an optional expiry; revoking it is final.

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** Whether the token was issued, and whether it was revoked since. */
export type ApiTokenState = { status: 'none' } | { status: 'issued' | 'revoked'; principal: string };

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** Commands of the token aggregate; id, hash and expiry come in with the command. */
export type ApiTokenCommand =
  | { type: 'IssueApiToken'; tokenId: string; principal: string; name: string; tokenHash: string; expiresAt: string | null }
  | { type: 'RevokeApiToken'; tokenId: string };

// ---------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------

/** Issues and revokes API tokens. Pure. */
export const apiTokenDecider: Decider<ApiTokenCommand, ApiTokenState, DirectoryEvent> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'ApiTokenIssued':
        return { status: 'issued', principal: event.data.principal };
      case 'ApiTokenRevoked':
        return state.status === 'none' ? state : { ...state, status: 'revoked' };
      default:
        return state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'IssueApiToken': {
        if (state.status !== 'none') throw DirectoryError.conflict('DIRECTORY.TOKEN_EXISTS', `token ${command.tokenId} already exists`);
        const { tokenId, principal, name, tokenHash, expiresAt } = command;
        return [{ type: 'ApiTokenIssued', data: { tokenId, principal, name, tokenHash, expiresAt } }];
      }
      case 'RevokeApiToken':
        if (state.status === 'none') throw DirectoryError.notFound('DIRECTORY.TOKEN_NOT_FOUND', `no token ${command.tokenId}`);
        if (state.status === 'revoked') throw DirectoryError.conflict('DIRECTORY.TOKEN_REVOKED', `token ${command.tokenId} is already revoked`);
        return [{ type: 'ApiTokenRevoked', data: { tokenId: command.tokenId } }];
      default: {
        const _exhaustive: never = command;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  },
};
