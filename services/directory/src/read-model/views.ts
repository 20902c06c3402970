import type { AccessRule } from '@gate/access-rules';

/** One page of a list: the items and how many there are in all. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Where a list starts and how long it is. */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** A user as the API shows it. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  disabled: boolean;
  groups: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A service account as the API shows it. */
export interface ServiceAccountView {
  id: string;
  name: string;
  groups: string[];
  version: number;
  createdAt: string;
}

/** A group as the API shows it, with its members. */
export interface GroupView {
  id: string;
  name: string;
  members: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A rule as the API shows it: the normalised AccessRule plus its version. */
export type RuleView = AccessRule & { version: number; updatedAt: string };

/** An API token as the API shows it: never the secret, never the hash. */
export interface TokenView {
  id: string;
  principal: string;
  name: string;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  version: number;
}

/** A token row as the authentication needs it. */
export interface TokenRecord extends TokenView {
  tokenHash: string;
}

/** A timestamp column as ISO text. */
export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
