/** The few HTML pages login shows: provider chooser, errors, logout confirmation, logged out. */

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#222}
a.button,button{display:block;width:100%;box-sizing:border-box;margin:.5rem 0;padding:.7rem;border:1px solid #888;border-radius:.4rem;background:#f4f4f4;color:#222;text-align:center;text-decoration:none;font-size:1rem;cursor:pointer}
code{color:#666}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** Lists the providers; each link starts a login with that provider, keeping the return URL. */
export function chooserPage(providers: readonly { id: string; name: string }[], returnUrl: string | undefined): string {
  const links = providers
    .map((p) => {
      const q = new URLSearchParams({ provider: p.id, ...(returnUrl ? { rd: returnUrl } : {}) });
      return `<a class="button" href="/login?${escapeHtml(q.toString())}">${escapeHtml(p.name)}</a>`;
    })
    .join('\n');
  return page('Sign in', `<p>Choose how to sign in:</p>\n${links}`);
}

/** An error the user can read: what went wrong, a link to start the login again, and its stable code. */
export function errorPage(title: string, message: string, code: string, startAgainPath = '/login'): string {
  const startAgain = `<p><a href="${escapeHtml(startAgainPath)}">Start again</a></p>`;
  return page(title, `<p>${escapeHtml(message)}</p>\n${startAgain}\n<p><code>${escapeHtml(code)}</code></p>`);
}

/** A GET never logs out: it shows this form, which POSTs from the auth host's own origin (with the checked `rd`). */
export function logoutConfirmPage(returnUrl: string | null): string {
  const action = returnUrl ? `/logout?${new URLSearchParams({ rd: returnUrl })}` : '/logout';
  return page('Sign out', `<form method="post" action="${escapeHtml(action)}"><button type="submit">Sign out</button></form>`);
}

/** Shown after logout when there is nowhere configured to go. */
export function loggedOutPage(): string {
  return page('Signed out', '<p>You are signed out.</p>\n<p><a href="/login">Sign in again</a></p>');
}
