/** Where the CLI writes; the process's streams, or buffers in a test. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Prints rows as an aligned table with a header, or `(none)`. */
export function printTable(io: CliIo, headers: string[], rows: (string | number | boolean | null | undefined)[][]): void {
  if (rows.length === 0) {
    io.out('(none)\n');
    return;
  }
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  for (const row of cells) io.out(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ') + '\n');
}

/** Prints JSON, pretty. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}
