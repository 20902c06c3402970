import { SessionView } from '@gate/events';
import { Caller } from './caller';
import { escapeHtml, renderMessagePage, renderSessionsPage } from './session-page';

const caller: Caller = { principalId: 'ann@example.com', email: 'ann@example.com', name: 'Ann <b>', sessionId: 's1', isAdmin: false, csrfSubject: 'session:s1' };
const view = (sessionId: string, extra: Partial<SessionView> = {}): SessionView => ({
  sessionId, userId: 'ann@example.com', email: 'ann@example.com', name: 'Ann', groups: [], provider: 'idp', clientIp: '198.51.100.4', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  startedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2026-11-24T10:00:00.000Z', idleTimeoutMs: null, lastSeenAt: null, status: 'active', position: 1, ...extra,
});

describe('the session page', () => {
  it('escapes everything it shows, including attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
    const html = renderSessionsPage({ caller, csrfToken: 't"><x', sessions: [view('s1', { clientIp: '"><img src=x>', userAgent: '<svg onload=alert(1)>' })] });
    expect(html).not.toMatch(/<img|<svg|<b>|"><x/);
    expect(html).toContain('Ann &#60;b&#62;');
  });

  it('marks this device, shows device, IP, created and last seen, and a revoke form per session with the CSRF token', () => {
    const html = renderSessionsPage({ caller, csrfToken: 'TOKEN', sessions: [view('s1'), view('s2', { lastSeenAt: '2026-11-23T11:30:00.000Z', clientIp: null })] });
    expect(html.match(/this device/g)).toHaveLength(1);
    expect(html).toMatch(/class="current">.*this device/);
    expect(html).toContain('Firefox on Linux');
    expect(html).toContain('198.51.100.4');
    expect(html).toContain('2026-11-23 10:00 UTC');
    expect(html).toContain('2026-11-23 11:30 UTC');
    expect(html).toContain('not yet');
    expect(html).toContain('action="/sessions/s2/revoke"');
    expect(html.match(/name="csrf" value="TOKEN"/g)).toHaveLength(3);
    expect(html).not.toContain('<th>User</th>');
  });

  it('shows admins the user of each session and a revoke-all form for other users', () => {
    const html = renderSessionsPage({ caller: { ...caller, isAdmin: true }, csrfToken: 'T', sessions: [view('s1'), view('s9', { userId: 'bo@example.com', email: 'bo@example.com' })] });
    expect(html).toContain('All sessions');
    expect(html).toContain('<th>User</th>');
    expect(html).toContain('name="userId" value="bo@example.com"');
  });

  it('tells a visitor who is not logged in where to log in', () => {
    expect(renderMessagePage(401, 'x')).toContain('<a href="/login">');
    expect(renderMessagePage(403, '<x>')).toContain('&#60;x&#62;');
  });
});
