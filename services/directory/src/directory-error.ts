/** How the edge answers a domain error: 400, 404 or 409. */
export type DirectoryErrorKind = 'invalid' | 'not-found' | 'conflict';

/** Every code a `DirectoryError` can carry; stable, for programs (the CLI, the UI, tests). */
export type DirectoryErrorCode =
  | 'DIRECTORY.INVALID_INPUT'
  | 'DIRECTORY.INVALID_IF_MATCH'
  | 'DIRECTORY.USER_EXISTS'
  | 'DIRECTORY.USER_NOT_FOUND'
  | 'DIRECTORY.SERVICE_ACCOUNT_EXISTS'
  | 'DIRECTORY.SERVICE_ACCOUNT_NOT_FOUND'
  | 'DIRECTORY.SERVICE_ACCOUNT_ID_RETIRED'
  | 'DIRECTORY.GROUP_EXISTS'
  | 'DIRECTORY.GROUP_NOT_FOUND'
  | 'DIRECTORY.GROUP_PROTECTED'
  | 'DIRECTORY.UNKNOWN_GROUP'
  | 'DIRECTORY.UNKNOWN_PRINCIPAL'
  | 'DIRECTORY.ALREADY_MEMBER'
  | 'DIRECTORY.NOT_A_MEMBER'
  | 'DIRECTORY.RULE_EXISTS'
  | 'DIRECTORY.RULE_NOT_FOUND'
  | 'DIRECTORY.TOKEN_EXISTS'
  | 'DIRECTORY.TOKEN_NOT_FOUND'
  | 'DIRECTORY.TOKEN_REVOKED';

/**
 * A refused directory change or query: a stable `code`, a sentence for the administrator, and the
 * kind that the HTTP edge maps to a status (once, in `DirectoryExceptionFilter`).
 */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';

  constructor(
    readonly code: DirectoryErrorCode,
    readonly kind: DirectoryErrorKind,
    message: string,
  ) {
    super(message);
  }

  /** Bad input: 400. */
  static invalid(code: DirectoryErrorCode, message: string): DirectoryError {
    return new DirectoryError(code, 'invalid', message);
  }

  /** Nothing by that id: 404. */
  static notFound(code: DirectoryErrorCode, message: string): DirectoryError {
    return new DirectoryError(code, 'not-found', message);
  }

  /** Refused by the current state (already exists, already revoked, protected): 409. */
  static conflict(code: DirectoryErrorCode, message: string): DirectoryError {
    return new DirectoryError(code, 'conflict', message);
  }
}
