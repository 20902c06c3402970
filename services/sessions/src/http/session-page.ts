import { SessionView } from '@gate/events';
import { Caller } from './caller';
import { CSRF_FIELD } from './csrf';
import { deviceSummary } from './device-summary';

/** What the session page shows. */
export interface SessionPageModel {
  caller: Caller;
  sessions: SessionView[];
  csrfToken: string;
}

/** Headers every page carries: no caching, no framing, no scripts, forms only to ourselves. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The session page: the caller's active sessions (everyone's for admins) with device, IP,
 * created and last seen, a "this device" marker and a revoke button each, and "sign out
 * everywhere". Every value is escaped; forms post with the caller's CSRF token.
 */
export function renderSessionsPage(model: SessionPageModel): string {
  const { caller, sessions, csrfToken } = model;
  const others = sessions.some((s) => s.userId !== caller.principalId);
  const rows = sessions.map((s) => row(s, caller, csrfToken, caller.isAdmin)).join('\n');
  const admin = caller.isAdmin ? ' <span class="tag">admin</span>' : '';
  const body = `
<h1>${caller.isAdmin ? 'All sessions' : 'Your sessions'}</h1>
<p>Signed in as <strong>${escapeHtml(caller.name || caller.email)}</strong> (${escapeHtml(caller.email)})${admin}</p>
${sessions.length === 0 ? '<p>No active sessions.</p>' : `<table>
<thead><tr>${caller.isAdmin || others ? '<th>User</th>' : ''}<th>Device</th><th>IP address</th><th>Created</th><th>Last seen</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`}
${form('/sessions/revoke-all', csrfToken, 'Sign out everywhere', caller.principalId)}`;
  return page('Sessions', body);
}

/** A small page with one message, e.g. "not logged in" (with a link to log in) for a 401. */
export function renderMessagePage(status: number, message: string): string {
  const login = status === 401 ? '<p>You are not logged in. <a href="/login">Log in</a></p>' : `<p>${escapeHtml(message)}</p><p><a href="/sessions">Back to your sessions</a></p>`;
  const heading = status === 401 ? 'Not logged in' : status === 503 ? 'Temporarily unavailable' : 'Request refused';
  return page(status === 401 ? 'Not logged in' : 'Sessions', `<h1>${heading}</h1>\n${login}`);
}

function row(s: SessionView, caller: Caller, csrfToken: string, showUser: boolean): string {
  const current = s.sessionId === caller.sessionId ? ' <span class="tag">this device</span>' : '';
  const user = showUser ? `<td>${escapeHtml(s.email)}${s.userId !== caller.principalId ? form('/sessions/revoke-all', csrfToken, 'Revoke all of this user', s.userId) : ''}</td>` : '';
  return `<tr${current ? ' class="current"' : ''}>${user}<td title="${escapeHtml(s.userAgent ?? '')}">${escapeHtml(deviceSummary(s.userAgent))}${current}</td><td>${escapeHtml(s.clientIp ?? 'unknown')}</td><td>${time(s.startedAt)}</td><td>${s.lastSeenAt ? time(s.lastSeenAt) : 'not yet'}</td><td>${form(`/sessions/${encodeURIComponent(s.sessionId)}/revoke`, csrfToken, current ? 'Sign out' : 'Revoke')}</td></tr>`;
}

function form(action: string, csrfToken: string, label: string, userId?: string): string {
  const user = userId === undefined ? '' : `<input type="hidden" name="userId" value="${escapeHtml(userId)}">`;
  return `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(csrfToken)}">${user}<button type="submit">${escapeHtml(label)}</button></form>`;
}

function time(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top}tr.current{background:#f3f8ff}.tag{font-size:.8em;background:#e0e7ff;border-radius:.3rem;padding:0 .3rem}form{display:inline;margin-left:.3rem}</style>
</head><body>${body}
</body></html>
`;
}
