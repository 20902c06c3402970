import { LoginError } from '../login/login-errors';
import type { Identity } from './oidc-client';

/** One entry of GitHub's `GET /user/emails`. */
export interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub speaks OAuth2, not OIDC: who logged in comes from its API with the access token. The
 * e-mail is the primary address and counts as verified only when GitHub says so.
 */
export async function githubIdentity(accessToken: string, fetchFn: typeof fetch = fetch, api = 'https://api.github.com'): Promise<Identity> {
  const get = async (path: string) => {
    const res = await fetchFn(`${api}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'gate-login' },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new LoginError('VALIDATION_FAILED', `GitHub ${path} answered ${res.status}`, 'github');
    return res.json();
  };
  const user = (await get('/user')) as { id: number; login: string; name: string | null };
  const emails = (await get('/user/emails')) as GithubEmail[];
  return identityFromGithub(user, emails);
}

/** Maps GitHub's user and e-mail list to an Identity (pure). */
export function identityFromGithub(user: { id: number; login: string; name: string | null }, emails: GithubEmail[]): Identity {
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary) : undefined;
  return {
    subject: String(user.id),
    email: primary?.email ?? null,
    emailVerified: primary?.verified === true,
    name: user.name || user.login,
    groups: [],
  };
}
