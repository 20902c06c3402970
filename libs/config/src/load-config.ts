import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error';

/** The environment as `loadConfig` reads it: `process.env` or a plain record in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

type Read = { value: string | undefined } | { problem: ConfigProblem };

/**
 * Reads one variable: from `NAME`, or from the file that `NAME_FILE` names (the Docker secrets
 * convention; one trailing newline is dropped). An empty value counts as unset, so that
 * `NAME: ${NAME:-}` in a compose file falls back to the default or reports `required`.
 */
function readVariable(name: string, env: Environment): Read {
  const direct = env[name] || undefined;
  const filePath = env[`${name}_FILE`] || undefined;
  if (filePath === undefined) return { value: direct };
  if (direct !== undefined) {
    return { problem: { variable: name, problem: `set either ${name} or ${name}_FILE, not both` } };
  }
  try {
    return { value: readFileSync(filePath, 'utf8').replace(/\r?\n$/, '') || undefined };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { problem: { variable: `${name}_FILE`, problem: `cannot read ${filePath} (${reason})` } };
  }
}

/**
 * Reads every variable that `schema` names from `env` (or from `NAME_FILE`) and validates them
 * into the schema's typed output. Throws a `ConfigError` naming every bad variable at once.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Environment = process.env): z.output<S> {
  const raw: Record<string, string | undefined> = {};
  const problems: ConfigProblem[] = [];
  const unreadable = new Set<string>();

  for (const name of Object.keys(schema.shape)) {
    const read = readVariable(name, env);
    if ('problem' in read) {
      problems.push(read.problem);
      unreadable.add(name);
    } else {
      raw[name] = read.value;
    }
  }

  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path.length > 0 ? String(issue.path[0]) : '(configuration)';
      if (unreadable.has(name)) continue;
      const missing = raw[name] === undefined && issue.code === 'invalid_type';
      problems.push({ variable: name, problem: missing ? 'required' : issue.message });
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as z.output<S>;
}
