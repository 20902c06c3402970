/** Builds the stream id of one aggregate instance: `<aggregate>:<id>`. */
export function streamIdOf(aggregate: string, id: string): string {
  return `${aggregate}:${id}`;
}

/** Splits a stream id back into aggregate and id; throws on a malformed one. */
export function parseStreamId(streamId: string): { aggregate: string; id: string } {
  const colon = streamId.indexOf(':');
  if (colon <= 0 || colon === streamId.length - 1) throw new Error(`malformed stream id: ${streamId}`);
  return { aggregate: streamId.slice(0, colon), id: streamId.slice(colon + 1) };
}

/**
 * Encodes an id as one NATS subject token: `.`, `*`, `>`, `%` and white space would break the
 * subject, so they are percent-encoded (`alice@example.com` → `alice@example%2Ecom`); reversible.
 */
export function subjectToken(id: string): string {
  return id.replace(/[.*>%\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** The JetStream subject of an event: `auth.<context>.<aggregate>.<id>`. */
export function subjectOf(context: string, streamId: string): string {
  const { aggregate, id } = parseStreamId(streamId);
  return `auth.${context}.${aggregate}.${subjectToken(id)}`;
}
