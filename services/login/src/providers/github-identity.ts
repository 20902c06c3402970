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
  /** The configured provider (its id labels errors, its name is shown); GitHub's own by default. */
  provider?: { id: string; name: string };
  fetchFn?: typeof fetch;
  api?: string;
}

/**
 * GitHub speaks OAuth2, not OIDC: who logged in comes from its API with the access token. The
 * e-mail is the primary address and counts as verified only when GitHub says so. GitHub down or
 * answering 5xx is PROVIDER_UNREACHABLE, too slow PROVIDER_TIMEOUT, a 4xx VALIDATION_FAILED.
 */
export async function githubIdentity(accessToken: string, github: GithubApi): Promise<Identity> {
  const { timeoutMs, fetchFn = fetch, api = 'https://api.github.com', provider = { id: 'github', name: 'GitHub' } } = github;
  const get = async (path: string) => {
    try {
      const res = await fetchFn(`${api}${path}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/vnd.github+json', 'user-agent': 'gate-login' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status >= 500) {
        throw new LoginError('PROVIDER_UNREACHABLE', `${provider.name} cannot be reached right now (${path}: ${res.status}). Please try again.`, provider.id);
      }
      if (!res.ok) throw new LoginError('VALIDATION_FAILED', `GitHub ${path} answered ${res.status}`, provider.id);
      return await res.json();
    } catch (err) {
      throw providerLoginError(err, provider, `GitHub ${path} did not answer as expected`);
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
