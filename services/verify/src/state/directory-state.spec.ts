import { DirectoryState } from './directory-state';
import { dirEvent, ruleDefined } from './events.fixture';

describe('the directory in memory', () => {
  it('tracks disabled users, memberships and deleted groups, bumping its version on each change', () => {
    const d = new DirectoryState();
    d.apply(dirEvent(1, { type: 'UserRegistered', data: { userId: 'a@example.com', email: 'A@example.com', name: 'A' } }));
    d.apply(dirEvent(2, { type: 'GroupCreated', data: { groupId: 'ops', name: 'Ops' } }));
    d.apply(dirEvent(3, { type: 'MemberAdded', data: { groupId: 'ops', member: 'a@example.com' } }));
    expect([...d.groupsOf('a@example.com')]).toEqual(['ops']);
    const v = d.version;
    d.apply(dirEvent(4, { type: 'UserDisabled', data: { userId: 'a@example.com' } }));
    expect(d.disabled.has('a@example.com')).toBe(true);
    expect(d.version).toBeGreaterThan(v);
    d.apply(dirEvent(5, { type: 'GroupDeleted', data: { groupId: 'ops' } }));
    expect([...d.groupsOf('a@example.com')]).toEqual([]);
    d.apply(dirEvent(6, { type: 'UserEnabled', data: { userId: 'a@example.com' } }));
    expect(d.disabled.has('a@example.com')).toBe(false);
  });

  it('compiles only when told, once for any number of rule events; reading the rules never compiles', () => {
    const d = new DirectoryState();
    d.apply(dirEvent(1, ruleDefined({ id: 'r1', host: 'a.example.com', effect: 'allow' })));
    d.apply(dirEvent(2, ruleDefined({ id: 'r2', host: 'b.example.com', effect: 'allow' })));
    expect(d.compiled).toBeNull();
    d.compileIfDirty();
    const compiled = d.compiled;
    expect(compiled?.rules.map((r) => r.id)).toEqual(['r1', 'r2']);
    d.compileIfDirty();
    expect(d.compiled).toBe(compiled);
    d.apply(dirEvent(3, { type: 'RuleRemoved', data: { ruleId: 'r1' } }));
    expect(d.compiled).toBe(compiled);
    d.compileIfDirty();
    expect(d.compiled?.rules.map((r) => r.id)).toEqual(['r2']);
  });

  it('fails closed on a rule set it cannot compile: no compiled rules and the reason', () => {
    const d = new DirectoryState();
    d.apply(dirEvent(1, ruleDefined({ id: 'r1', host: '*.com', effect: 'allow' })));
    d.compileIfDirty();
    expect(d.compiled).toBeNull();
    expect(d.compileError).toMatch(/./);
  });

  it('compiles a stored rule that today\'s input checks would refuse (an old field, a public rule naming subjects)', () => {
    const d = new DirectoryState();
    d.apply(dirEvent(1, { type: 'RuleDefined', data: { rule: { id: 'r1', priority: 1, host: 'a.example.com', effect: 'public', subjects: { groups: ['x'] }, description: 'old' } } }));
    d.apply(dirEvent(2, ruleDefined({ id: 'r2', host: 'b.example.com', effect: 'allow' })));
    d.compileIfDirty();
    expect(d.compileError).toBeNull();
    expect(d.compiled?.rules).toEqual([{ id: 'r1', priority: 1, host: 'a.example.com', effect: 'public' }, expect.objectContaining({ id: 'r2' })]);
  });

  it('keeps API tokens by hash and forgets revoked ones', () => {
    const d = new DirectoryState();
    const tokenHash = 'h'.repeat(43);
    d.apply(dirEvent(1, { type: 'ApiTokenIssued', data: { tokenId: 't1', principal: 'svc:ci', name: 'ci', tokenHash, expiresAt: null } }));
    expect(d.tokensByHash.get(tokenHash)).toEqual({ tokenId: 't1', principal: 'svc:ci', expiresAtMs: null });
    d.apply(dirEvent(2, { type: 'ApiTokenRevoked', data: { tokenId: 't1' } }));
    expect(d.tokensByHash.size).toBe(0);
  });
});
