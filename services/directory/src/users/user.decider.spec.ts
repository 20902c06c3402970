import type { DirectoryEvent } from '@gate/events';
import { userDecider, type UserCommand } from './user.decider';

const given = (...history: DirectoryEvent[]) => ({
  when: (command: UserCommand) => userDecider.decide(command, history.reduce(userDecider.evolve, userDecider.initialState())),
});
const registered: DirectoryEvent = { type: 'UserRegistered', data: { userId: 'alice@example.com', email: 'Alice@Example.com', name: 'Alice' } };

describe('user decider', () => {
  it('registers a user under the lower-cased e-mail, keeping the address as typed', () => {
    expect(given().when({ type: 'RegisterUser', email: 'Alice@Example.com', name: 'Alice' })).toEqual([registered]);
  });

  it('refuses to register the same user twice', () => {
    expect(() => given(registered).when({ type: 'RegisterUser', email: 'alice@example.com', name: 'A' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.USER_EXISTS', kind: 'conflict' }),
    );
  });

  it('renames and disables in one update, and enables again', () => {
    expect(given(registered).when({ type: 'UpdateUser', userId: 'alice@example.com', name: 'Alice L.', disabled: true })).toEqual([
      { type: 'UserUpdated', data: { userId: 'alice@example.com', name: 'Alice L.' } },
      { type: 'UserDisabled', data: { userId: 'alice@example.com' } },
    ]);
    const disabled: DirectoryEvent = { type: 'UserDisabled', data: { userId: 'alice@example.com' } };
    expect(given(registered, disabled).when({ type: 'UpdateUser', userId: 'alice@example.com', disabled: false })).toEqual([
      { type: 'UserEnabled', data: { userId: 'alice@example.com' } },
    ]);
  });

  it('makes no event for an update that changes nothing', () => {
    expect(given(registered).when({ type: 'UpdateUser', userId: 'alice@example.com', name: 'Alice', disabled: false })).toEqual([]);
  });

  it('refuses to update a user that does not exist', () => {
    expect(() => given().when({ type: 'UpdateUser', userId: 'bob@example.com', name: 'Bob' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.USER_NOT_FOUND', kind: 'not-found' }),
    );
  });
});
