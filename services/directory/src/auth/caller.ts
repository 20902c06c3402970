/** Who is calling the admin API, once authenticated. */
export interface Caller {
  /** The principal: a user id, a `svc:` id, or `svc:bootstrap` for the bootstrap token. */
  id: string;
  /** How the caller got in. */
  via: 'token' | 'bootstrap' | 'assertion';
  /** The API token used, when `via` is `token`. */
  tokenId?: string;
}

/** The principal id of the bootstrap admin token (never an event, never in a group). */
export const BOOTSTRAP_PRINCIPAL = 'svc:bootstrap';
