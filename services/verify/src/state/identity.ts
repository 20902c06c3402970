import type { Principal } from '@gate/access-rules';

/**
 * Who a request is from, as verify sends it to the app: built once per session or token and
 * reused until the directory changes, so a decision allocates nothing for it.
 */
export interface Identity extends Principal {
  readonly email: string;
  readonly name: string;
  /** The effective groups, sorted and comma-separated ('' when none): the groups header. */
  readonly groupsHeader: string;
  readonly disabled: boolean;
  /** Signed assertions by audience, reused while they have more than half their life left. */
  readonly assertions: Map<string, { readonly token: string; readonly renewAtSec: number }>;
}

/** Builds an identity from its parts (groups de-duplicated and sorted). */
export function identityOf(id: string, email: string, name: string, groups: Iterable<string>, disabled: boolean): Identity {
  const set = new Set(groups);
  return { id, email, name, groups: set, groupsHeader: [...set].sort().join(','), disabled, assertions: new Map() };
}
