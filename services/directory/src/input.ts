import { z } from 'zod';
import { DirectoryError } from './directory-error';
import type { PageRequest } from './read-model/directory-read-model';

/** Parses untrusted input (a body or a query) or throws a 400 `DIRECTORY.INVALID_INPUT` naming the problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw DirectoryError.invalid('DIRECTORY.INVALID_INPUT', z.prettifyError(parsed.error).replace(/\n/g, '; '));
  return parsed.data;
}

/** `limit` (1-500, default 100) and `offset` (default 0) from a query string. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A page request from a query string. */
export function pageOf(query: unknown): PageRequest {
  return parseInput(pageQuery, query);
}

/** A display name: trimmed, 1-200 characters. */
export const displayName = z.string().trim().min(1, 'must not be empty').max(200);
