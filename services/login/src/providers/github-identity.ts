import { LoginError } from '../login/login-errors';
import type { Identity } from './oidc-client';
import { providerLoginError } from './provider-failure';

/** One entry of GitHub's `GET /user/emails`. */
export interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/** How githubIdentity reaches GitHub's API (the defaults in the service, fakes in tests). */
export interface GithubApi {
  timeoutMs: number;
  fetchFn?: typeof fetch;
  api?: string;
}

const GITHUB = { id: 'github', name: 'GitHub' };

/**
 * GitHub speaks OAuth2, not OIDC: who logged in comes from its API with the access token. The
 * e-mail is the primary address and counts as verified only when GitHub says so. GitHub down or
 * answering 5xx is PROVIDER_UNREACHABLE, too slow PROVIDER_TIMEOUT, a 4xx VALIDATION_FAILED.
 */
export async function githubIdentity(accessToken: string, { timeoutMs, fetchFn = fetch, api = 'https://api.github.com' }: GithubApi): Promise<Identity> {
  const get = async (path: string) => {
    try {
      const res = await fetchFn(`${api}${path}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'gate-login' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status >= 500) throw new LoginError('PROVIDER_UNREACHABLE', `GitHub cannot be reached right now (${path} answered ${res.status}). Please try again.`, 'github');
      if (!res.ok) throw new LoginError('VALIDATION_FAILED', `GitHub ${path} answered ${res.status}`, 'github');
      return await res.json();
    } catch (err) {
      throw providerLoginError(err, GITHUB, `GitHub ${path} did not answer as expected`);
    }
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
