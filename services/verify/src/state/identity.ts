import type { Principal } from '@gate/access-rules';
import { BoundedMap, EvictionCounter } from '@gate/bounded-map';

/** Audiences whose assertion one identity keeps at most (FIFO: a hit is a plain `Map.get`). */
export const ASSERTIONS_PER_IDENTITY = 64;

/** Assertions evicted from every identity's cache, counted once for the process. */
export const assertionEvictions = new EvictionCounter();

/**
 * Who a request is from, as verify sends it to the app: built once per session or token and
 * reused until the directory changes, so a decision allocates nothing for it.
 */
export interface Identity extends Principal {
  readonly email: string;
  readonly name: string;
  /** `name` as a header value (see `headerSafe`): the name header. */
  readonly nameHeader: string;
  /** The effective groups, sorted and comma-separated ('' when none), header-safe: the groups header. */
  readonly groupsHeader: string;
  readonly disabled: boolean;
  /** Signed assertions by audience, reused while they have more than half their life left. */
  readonly assertions: BoundedMap<string, { readonly token: string; readonly renewAtSec: number }>;
}

/** Builds an identity from its parts (groups de-duplicated and sorted), header values included. */
export function identityOf(id: string, email: string, name: string, groups: Iterable<string>, disabled: boolean): Identity {
  const set = new Set(groups);
  const groupsHeader = headerSafe([...set].sort().join(','));
  return { id, email, name, nameHeader: headerSafe(name), groups: set, groupsHeader, disabled, assertions: new BoundedMap(ASSERTIONS_PER_IDENTITY, { evictions: assertionEvictions }) };
}

/** Header values must be Latin-1 without control characters: anything else becomes `?`. */
function headerSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e\xa0-\xff]*$/.test(value) ? value : value.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}
