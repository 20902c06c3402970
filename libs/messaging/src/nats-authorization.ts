import { nkeys } from '@nats-io/transport-node';
import { BUS_USERS, busPermissions, type BusPermissions, type BusUser } from './bus-permissions';

/** One user's credential: the nkey seed (secret, given to the service) and its public key (for the server). */
export interface NkeyCredential {
  readonly seed: string;
  readonly publicKey: string;
}

/** Makes a new user nkey (Ed25519): the service proves it holds the seed, the server keeps only the public key. */
export function createNkey(): NkeyCredential {
  const pair = nkeys.createUser();
  return { seed: new TextDecoder().decode(pair.getSeed()), publicKey: pair.getPublicKey() };
}

/** The public key of a seed, to check a seed file or rebuild the server's list from the seeds. */
export function publicKeyOf(seed: string): string {
  return nkeys.fromSeed(new TextEncoder().encode(seed.trim())).getPublicKey();
}

/** A user the server accepts beyond the bus users (tests add an administrator; production adds none). */
export interface ExtraNatsUser {
  readonly publicKey: string;
  readonly permissions: BusPermissions;
  readonly comment: string;
}

/**
 * The `authorization { users = [...] }` block of nats-server's configuration: each bus user by its
 * nkey with the permissions of `busPermissions`, nothing else (so an anonymous connection is
 * refused). `deploy/nats/nats.conf` includes it from the secrets that the first start generates.
 */
export function natsAuthorizationConf(publicKeys: Readonly<Record<BusUser, string>>, extra: readonly ExtraNatsUser[] = []): string {
  const users = [
    ...BUS_USERS.map((user) => userEntry(`${user}`, publicKeys[user], busPermissions(user))),
    ...extra.map((u) => userEntry(u.comment, u.publicKey, u.permissions)),
  ];
  return `# Generated: the bus users and their permissions (libs/messaging/src/bus-permissions.ts).\nauthorization {\n  users = [\n${users.join('\n')}\n  ]\n}\n`;
}

function userEntry(comment: string, publicKey: string, p: BusPermissions): string {
  if (!/^U[A-Z2-7]{55}$/.test(publicKey)) throw new Error(`not a user nkey: ${publicKey}`);
  const list = (subjects: readonly string[]) => `[${subjects.map((s) => JSON.stringify(s)).join(', ')}]`;
  const responses = p.allowResponses ? `\n        allow_responses: true` : '';
  return [
    `    # ${comment}`,
    `    {`,
    `      nkey: ${publicKey}`,
    `      permissions: {`,
    `        publish: { allow: ${list(p.publish)} }`,
    `        subscribe: { allow: ${list(p.subscribe)} }${responses}`,
    `      }`,
    `    }`,
  ].join('\n');
}
