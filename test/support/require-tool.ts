import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Where a test tool may be and how a person gets it. */
export interface ToolSpec {
  /** The variable that names the binary's path, which wins over everything else (e.g. CADDY_BIN). */
  envVar?: string;
  /** Names to look for on PATH, when not the tool's own name (e.g. chromium, chromium-browser). */
  names?: readonly string[];
  /** How to install it, for the message: `Debian: apt-get install caddy`. */
  install: string;
}

/** How binaries are found; the spec swaps in its own (a PATH without the tool). */
export interface ToolLookup {
  env: NodeJS.ProcessEnv;
  isExecutable(path: string): boolean;
}

/** A tool the tests need is not installed: the message names it and how to install it. */
export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

const systemLookup: ToolLookup = {
  env: process.env,
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
};

/**
 * The absolute path of a tool the tests need: `spec.envVar`'s value when set, else the first of its
 * names found on PATH. Throws MissingToolError at once, naming the tool, the variable and how to
 * install it, so that a suite fails before it starts anything instead of timing out later.
 */
export function requireTool(tool: string, spec: ToolSpec, lookup: ToolLookup = systemLookup): string {
  const how = `Install it (${spec.install})${spec.envVar ? ` or set ${spec.envVar} to its path` : ''}.`;
  const fromEnv = spec.envVar ? lookup.env[spec.envVar] : undefined;
  if (fromEnv) {
    if (isAbsolute(fromEnv) && lookup.isExecutable(fromEnv)) return fromEnv;
    throw new MissingToolError(`${tool}: ${spec.envVar}=${fromEnv} is not an executable file given by its absolute path. ${how}`);
  }
  const names = spec.names ?? [tool];
  const dirs = (lookup.env.PATH ?? '').split(delimiter).filter((dir) => isAbsolute(dir));
  for (const name of names) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (lookup.isExecutable(path)) return path;
    }
  }
  throw new MissingToolError(`${tool} is needed by these tests and is not installed (no ${names.join(' or ')} on PATH). ${how}`);
}
