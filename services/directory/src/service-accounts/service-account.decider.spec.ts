import type { DirectoryEvent } from '@gate/events';
import { serviceAccountDecider, serviceAccountIdOf, type ServiceAccountCommand } from './service-account.decider';

const given = (...history: DirectoryEvent[]) => ({
  when: (command: ServiceAccountCommand) =>
    serviceAccountDecider.decide(command, history.reduce(serviceAccountDecider.evolve, serviceAccountDecider.initialState())),
});
const created: DirectoryEvent = { type: 'ServiceAccountCreated', data: { accountId: 'svc:ci', name: 'CI' } };

describe('service account decider', () => {
  it('creates, refuses a duplicate, deletes, and never reuses a deleted id (old tokens and memberships stay dead)', () => {
    expect(given().when({ type: 'CreateServiceAccount', accountId: 'svc:ci', name: 'CI' })).toEqual([created]);
    expect(() => given(created).when({ type: 'CreateServiceAccount', accountId: 'svc:ci', name: 'CI' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.SERVICE_ACCOUNT_EXISTS' }),
    );
    const deleted: DirectoryEvent = { type: 'ServiceAccountDeleted', data: { accountId: 'svc:ci' } };
    expect(given(created).when({ type: 'DeleteServiceAccount', accountId: 'svc:ci' })).toEqual([deleted]);
    expect(() => given(created, deleted).when({ type: 'CreateServiceAccount', accountId: 'svc:ci', name: 'CI 2' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.SERVICE_ACCOUNT_ID_RETIRED', kind: 'conflict' }),
    );
  });

  it('refuses to delete an account that does not exist', () => {
    expect(() => given().when({ type: 'DeleteServiceAccount', accountId: 'svc:ci' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.SERVICE_ACCOUNT_NOT_FOUND' }),
    );
  });

  it('derives lower-case svc: ids and refuses malformed ones', () => {
    expect(serviceAccountIdOf('CI-Runner')).toBe('svc:ci-runner');
    expect(serviceAccountIdOf('svc:backup')).toBe('svc:backup');
    expect(serviceAccountIdOf('has space')).toBeNull();
    expect(serviceAccountIdOf('-dash')).toBeNull();
  });
});
