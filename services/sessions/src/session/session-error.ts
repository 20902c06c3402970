/** Stable codes of the sessions context's errors; mapped to HTTP and RPC once, at each edge. */
export type SessionsErrorCode =
  | 'SESSIONS.INVALID_REQUEST'
  | 'SESSIONS.NOT_FOUND'
  | 'SESSIONS.ALREADY_EXISTS'
  | 'SESSIONS.UNAUTHENTICATED'
  | 'SESSIONS.FORBIDDEN'
  | 'SESSIONS.CSRF';

/** A refusal of the sessions context with a stable code; its message is safe to show a caller. */
export class SessionsError extends Error {
  constructor(
    readonly code: SessionsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SessionsError';
  }
}
