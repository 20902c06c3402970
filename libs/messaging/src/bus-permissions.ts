import { type Context, CONTEXTS, DIRECTORY_PATTERNS, DIRECTORY_TOKENS_USED, headSubjectOf, SESSIONS_PATTERNS } from '@gate/events';
import { streamNameOf } from './streams';

/**
 * Who is on the bus: one NATS user per service, and `reader` for auditing (the NATS CLI in
 * nats-box, `gatectl events`). Nobody else: an anonymous connection is refused.
 */
export const BUS_USERS = ['directory', 'sessions', 'login', 'verify', 'reader'] as const;
export type BusUser = (typeof BUS_USERS)[number];

/** What one user may do: subjects it may publish to and subscribe to (NATS wildcards). */
export interface BusPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer requests it received (publish to their reply subject once), and nothing more. */
  readonly allowResponses: boolean;
}

/** Each user's replies come to its own inbox prefix, so no user can read another's replies. */
export function inboxPrefixOf(user: BusUser): string {
  return `_INBOX.${user}`;
}

const JS_API = '$JS.API';

/** The JetStream API calls a writing service's relay makes for its own stream, and no other. */
function relayApi(context: Context): string[] {
  const stream = streamNameOf(context);
  return [`${JS_API}.INFO`, `${JS_API}.STREAM.INFO.${stream}`, `${JS_API}.STREAM.CREATE.${stream}`, `${JS_API}.STREAM.UPDATE.${stream}`];
}

/** The JetStream API calls that read a stream through consumers of one's own (no stream changes). */
function readApi(context: Context): string[] {
  const stream = streamNameOf(context);
  return [
    `${JS_API}.STREAM.INFO.${stream}`,
    `${JS_API}.STREAM.MSG.GET.${stream}`,
    `${JS_API}.CONSUMER.CREATE.${stream}`,
    `${JS_API}.CONSUMER.CREATE.${stream}.>`,
    `${JS_API}.CONSUMER.INFO.${stream}.*`,
    `${JS_API}.CONSUMER.DELETE.${stream}.*`,
    `${JS_API}.CONSUMER.MSG.NEXT.${stream}.*`,
  ];
}

/** A writing service: its context's events and head (through its relay), its requests, its inbox. */
function writer(context: Context, requests: string[], answers: string[]): BusPermissions {
  return {
    publish: [`auth.${context}.>`, ...relayApi(context), ...requests],
    subscribe: [`${inboxPrefixOf(context)}.>`, ...answers],
    allowResponses: answers.length > 0,
  };
}

const PERMISSIONS: Record<BusUser, BusPermissions> = {
  // Answers `directory.principal` (sessions asks) and takes verify's token-use batches.
  directory: writer('directory', [], [DIRECTORY_PATTERNS.principal, DIRECTORY_TOKENS_USED]),
  // Answers login's and verify's requests; asks the directory about principals.
  sessions: writer(
    'sessions',
    [DIRECTORY_PATTERNS.principal],
    [SESSIONS_PATTERNS.start, SESSIONS_PATTERNS.lookup, SESSIONS_PATTERNS.revoke, SESSIONS_PATTERNS.revokeAll, SESSIONS_PATTERNS.seen],
  ),
  // Starts, looks up and (at logout) revokes sessions; its audit events are its own context's.
  login: writer('login', [SESSIONS_PATTERNS.start, SESSIONS_PATTERNS.lookup, SESSIONS_PATTERNS.revoke], []),
  // Reads the directory and sessions streams and their heads, asks sessions about unknown ids,
  // reports usage; publishes nothing on `auth.>`.
  verify: {
    publish: [`${JS_API}.INFO`, ...readApi('directory'), ...readApi('sessions'), SESSIONS_PATTERNS.lookup, SESSIONS_PATTERNS.seen, DIRECTORY_TOKENS_USED],
    subscribe: [`${inboxPrefixOf('verify')}.>`, headSubjectOf('directory'), headSubjectOf('sessions')],
    allowResponses: false,
  },
  // Audit: lists and reads every stream, follows events live; changes nothing.
  reader: {
    publish: [`${JS_API}.INFO`, `${JS_API}.STREAM.NAMES`, `${JS_API}.STREAM.LIST`, ...CONTEXTS.flatMap(readApi)],
    subscribe: [`${inboxPrefixOf('reader')}.>`, 'auth.>'],
    allowResponses: false,
  },
};

/** The permissions of one bus user (least privilege; the README's table is this one). */
export function busPermissions(user: BusUser): BusPermissions {
  return PERMISSIONS[user];
}

/** The permission table as the README shows it (a spec keeps the two equal). */
export function busPermissionsTable(): string {
  const code = (subjects: readonly string[]) => subjects.map((s) => `\`${s}\``).join(', ') || '—';
  const rows = BUS_USERS.map((user) => {
    const p = busPermissions(user);
    const api = p.publish.filter((s) => s.startsWith(`${JS_API}.`)).map((s) => s.slice(JS_API.length + 1));
    const other = p.publish.filter((s) => !s.startsWith(`${JS_API}.`));
    return `| \`${user}\` | ${code(other)} | ${code(p.subscribe)}${p.allowResponses ? ' (and answers them)' : ''} | ${code(api)} |`;
  });
  return ['| user | publishes | subscribes to | JetStream API (`$JS.API.…`) |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
