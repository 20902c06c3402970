/**
 * Checks a Postgres schema name (one per writing service) and returns it double-quoted for SQL.
 * Only plain lower-case identifiers are accepted, so the name can never inject SQL.
 */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return `"${schema}"`;
}

/** The LISTEN/NOTIFY channel on which appends to `schema` announce themselves. */
export function notifyChannel(schema: string): string {
  quoteSchema(schema);
  return `${schema}_events`;
}
