import type { FastifyReply } from 'fastify';

/** What a use case answers over HTTP: status, headers (Set-Cookie may repeat), optional HTML. */
export interface HttpOutcome {
  status: number;
  headers?: Record<string, string | string[]>;
  html?: string;
}

/** Headers on every HTML page: never cached, never framed, no scripts. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

/** A redirect that no cache keeps (login answers differ per browser). */
export function redirect(location: string, status = 302, headers: Record<string, string | string[]> = {}): HttpOutcome {
  return { status, headers: { ...headers, location, 'cache-control': 'no-store' } };
}

/** Sends an outcome on a fastify reply. */
export function send(reply: FastifyReply, outcome: HttpOutcome): void {
  void reply.status(outcome.status);
  for (const [name, value] of Object.entries(outcome.headers ?? {})) void reply.header(name, value);
  if (outcome.html !== undefined) {
    void reply.headers(PAGE_HEADERS).send(outcome.html);
  } else {
    void reply.send();
  }
}
