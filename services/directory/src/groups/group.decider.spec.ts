import type { DirectoryEvent } from '@gate/events';
import { groupDecider, type GroupCommand } from './group.decider';

const given = (...history: DirectoryEvent[]) => ({
  when: (command: GroupCommand) => groupDecider.decide(command, history.reduce(groupDecider.evolve, groupDecider.initialState())),
});
const created: DirectoryEvent = { type: 'GroupCreated', data: { groupId: 'wiki-editors', name: 'Wiki editors' } };
const aliceAdded: DirectoryEvent = { type: 'MemberAdded', data: { groupId: 'wiki-editors', member: 'alice@example.com' } };
const deleted: DirectoryEvent = { type: 'GroupDeleted', data: { groupId: 'wiki-editors' } };

describe('group decider', () => {
  it('creates a group, refuses a duplicate unless asked to create it only if absent', () => {
    expect(given().when({ type: 'CreateGroup', groupId: 'wiki-editors', name: 'Wiki editors' })).toEqual([created]);
    expect(() => given(created).when({ type: 'CreateGroup', groupId: 'wiki-editors', name: 'x' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.GROUP_EXISTS', kind: 'conflict' }),
    );
    expect(given(created).when({ type: 'CreateGroup', groupId: 'wiki-editors', name: 'x', ifAbsent: true })).toEqual([]);
  });

  it('adds a member who has never logged in, refuses to add them twice, removes them', () => {
    expect(given(created).when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['alice@example.com'] })).toEqual([aliceAdded]);
    expect(() => given(created, aliceAdded).when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['alice@example.com'] })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.ALREADY_MEMBER' }),
    );
    expect(given(created, aliceAdded).when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['alice@example.com'], ifAbsent: true })).toEqual([]);
    expect(given(created, aliceAdded).when({ type: 'RemoveMember', groupId: 'wiki-editors', member: 'alice@example.com' })).toEqual([
      { type: 'MemberRemoved', data: { groupId: 'wiki-editors', member: 'alice@example.com' } },
    ]);
  });

  it('adds several members at once, or none of them when one already is a member', () => {
    const bobAdded: DirectoryEvent = { type: 'MemberAdded', data: { groupId: 'wiki-editors', member: 'bob@example.com' } };
    expect(given(created).when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['alice@example.com', 'bob@example.com', 'alice@example.com'] })).toEqual([aliceAdded, bobAdded]);
    expect(() => given(created, aliceAdded).when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['bob@example.com', 'alice@example.com'] })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.ALREADY_MEMBER', message: 'alice@example.com is already a member of wiki-editors; nothing was added' }),
    );
    expect(given(created, aliceAdded).when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['bob@example.com', 'alice@example.com'], ifAbsent: true })).toEqual([bobAdded]);
  });

  it('refuses to remove someone who is not a member', () => {
    expect(() => given(created).when({ type: 'RemoveMember', groupId: 'wiki-editors', member: 'bob@example.com' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.NOT_A_MEMBER', kind: 'not-found' }),
    );
  });

  it('renames (nothing when the name is the same) and refuses anything on a missing group', () => {
    expect(given(created).when({ type: 'RenameGroup', groupId: 'wiki-editors', name: 'Editors' })).toEqual([
      { type: 'GroupRenamed', data: { groupId: 'wiki-editors', name: 'Editors' } },
    ]);
    expect(given(created).when({ type: 'RenameGroup', groupId: 'wiki-editors', name: 'Wiki editors' })).toEqual([]);
    expect(() => given().when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['a@b.io'] })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.GROUP_NOT_FOUND' }),
    );
  });

  it('deletes a group; created again it starts without the old members', () => {
    expect(given(created, aliceAdded).when({ type: 'DeleteGroup', groupId: 'wiki-editors' })).toEqual([deleted]);
    expect(() => given(created, aliceAdded, deleted).when({ type: 'RemoveMember', groupId: 'wiki-editors', member: 'alice@example.com' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.GROUP_NOT_FOUND' }),
    );
    const again = given(created, aliceAdded, deleted, created);
    expect(again.when({ type: 'AddMembers', groupId: 'wiki-editors', members: ['alice@example.com'] })).toEqual([aliceAdded]);
  });

  it('never deletes the admins group', () => {
    const admins: DirectoryEvent = { type: 'GroupCreated', data: { groupId: 'admins', name: 'Administrators' } };
    expect(() => given(admins).when({ type: 'DeleteGroup', groupId: 'admins' })).toThrow(
      expect.objectContaining({ code: 'DIRECTORY.GROUP_PROTECTED' }),
    );
  });
});
