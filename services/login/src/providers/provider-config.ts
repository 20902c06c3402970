import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The identity providers login offers, from `OIDC_PROVIDERS` (or `OIDC_PROVIDERS_FILE`): a JSON
 * array validated at boot, each problem named by its place (`[1].issuer: …`).
 */

/** How a provider is spoken to: generic OIDC (Forgejo/Gitea, Pocket ID, Keycloak), Google, GitHub (OAuth2). */
export const PRESETS = ['oidc', 'google', 'github'] as const;
export type Preset = (typeof PRESETS)[number];

const PRESET_DEFAULTS: Record<Preset, { issuer?: string; scopes: string[] }> = {
  oidc: { scopes: ['openid', 'email', 'profile'] },
  google: { issuer: 'https://accounts.google.com', scopes: ['openid', 'email', 'profile'] },
  github: { issuer: 'https://github.com', scopes: ['read:user', 'user:email'] },
};

const providerInput = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'expected 1-32 lower-case letters, digits or dashes'),
    name: z.string().min(1).max(80),
    preset: z.enum(PRESETS),
    issuer: z.url({ protocol: /^https?$/ }).optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    clientSecretFile: z.string().min(1).optional(),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).min(1).optional(),
    groupsClaim: z.string().min(1).optional(),
    allowUnverifiedEmail: z.boolean().default(false),
    /** Send the browser to the provider's end_session_endpoint after logout (RP-initiated logout). */
    logoutAtProvider: z.boolean().default(false),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.preset === 'oidc' && !p.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'required for preset oidc' });
    if (p.clientSecret && p.clientSecretFile) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'give clientSecret or clientSecretFile, not both' });
    if (p.preset === 'github' && !p.clientSecret && !p.clientSecretFile) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'required for preset github' });
  });

/** One configured provider, with preset defaults applied and the secret read. */
export interface ProviderConfig {
  id: string;
  name: string;
  preset: Preset;
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string[];
  groupsClaim: string | undefined;
  allowUnverifiedEmail: boolean;
  logoutAtProvider: boolean;
}

/** Parses and checks the providers JSON; throws an Error whose message names the bad field. */
export function parseProviders(json: string): ProviderConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('expected a JSON array of providers, got text that is not JSON');
  }
  const parsed = z.array(providerInput).min(1, 'expected at least one provider').safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new Error(`${where || 'providers'}: ${issue.message}`);
  }
  const ids = new Set<string>();
  return parsed.data.map((p, i) => {
    if (ids.has(p.id)) throw new Error(`[${i}].id: duplicate provider id "${p.id}"`);
    ids.add(p.id);
    return {
      id: p.id,
      name: p.name,
      preset: p.preset,
      issuer: p.issuer ?? PRESET_DEFAULTS[p.preset].issuer!,
      clientId: p.clientId,
      clientSecret: p.clientSecret ?? (p.clientSecretFile ? readSecretFile(p.clientSecretFile, i) : undefined),
      scopes: p.scopes ?? PRESET_DEFAULTS[p.preset].scopes,
      groupsClaim: p.groupsClaim,
      allowUnverifiedEmail: p.allowUnverifiedEmail,
      logoutAtProvider: p.logoutAtProvider,
    };
  });
}

function readSecretFile(path: string, index: number): string {
  try {
    const secret = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    if (secret === '') throw new Error('empty');
    return secret;
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`[${index}].clientSecretFile: cannot read ${path} (${reason})`);
  }
}
