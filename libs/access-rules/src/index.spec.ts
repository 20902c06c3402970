import * as accessRules from './index';

describe('@gate/access-rules', () => {
  it('given the entry point, then it exports exactly the public API', () => {
    expect(Object.keys(accessRules).sort()).toEqual(
      [
        'AccessRuleError',
        'EFFECTS',
        'RULE_ERROR_CODES',
        'compareRules',
        'compileRules',
        'decide',
        'explain',
        'formatHostPattern',
        'hostMatches',
        'normalizeHost',
        'normalizePath',
        'parseHostPattern',
        'pathHasPrefix',
        'storedRule',
        'validateRule',
      ].sort(),
    );
  });

  it('given a forwarded request, when verify normalises then decides, then the pieces fit together', () => {
    const { compileRules, decide, normalizeHost, normalizePath } = accessRules;
    const compiled = compileRules([
      { id: 'admin', priority: 1, host: '*.Example.com', paths: ['/admin'], effect: 'deny' },
      { id: 'site', priority: 2, host: '*.example.com', effect: 'allow' },
    ]);
    const host = normalizeHost('App.Example.com.:443');
    const path = normalizePath('/static/%2e%2e//admin/users?tab=1');
    expect([host, path]).toEqual(['app.example.com', { ok: true, path: '/admin/users' }]);
    if (host === null || !path.ok) return;
    const principal = { id: 'alice@example.com', groups: new Set<string>() };
    expect(decide(compiled, { host, path: path.path, method: 'GET' }, principal).rule?.id).toBe('admin');
  });
});
