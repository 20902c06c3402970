import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DirectoryError } from '../directory-error';

/**
 * Reads `If-Match` as the stream version the client last saw: `"3"`, `W/"3"` or `3`. Absent or
 * `*` means no check. Anything else is a 400 (a typo must not silently skip the check).
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '*' || value === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) throw DirectoryError.invalid('DIRECTORY.INVALID_IF_MATCH', `If-Match: expected a version such as "3", got ${JSON.stringify(value.slice(0, 40))}`);
  return Number(match[1]);
}

/** The parsed `If-Match` header of the request (see `parseIfMatch`). */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseIfMatch(ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match']),
);
