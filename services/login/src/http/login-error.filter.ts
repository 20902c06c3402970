import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LoginError } from '../login/login-errors';
import { errorPage } from './pages';
import { send } from './outcome';

const TITLES: Record<number, string> = {
  400: 'Sign-in failed',
  403: 'Not allowed',
  404: 'Not found',
  429: 'Too many attempts',
  502: 'Sign-in provider unavailable',
  503: 'Temporarily unavailable',
  504: 'Sign-in provider too slow',
};

/** True when the client asked for JSON and not for HTML (an API or fetch client, not a browser page). */
export function prefersJson(accept: string | undefined): boolean {
  return accept !== undefined && /\bapplication\/(?:[\w.+-]*\+)?json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

/**
 * Maps a LoginError to its status, once, at the edge: an HTML page with a way to start again for
 * browsers, `{ error, message }` JSON for clients that ask for JSON; Retry-After when known.
 */
@Catch(LoginError)
export class LoginErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Login');

  catch(error: LoginError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    this.log.warn(`${error.code}${error.provider ? ` (${error.provider})` : ''}: ${error.message}`);
    const headers: Record<string, string> = error.retryAfterSec ? { 'retry-after': String(error.retryAfterSec) } : {};
    if (prefersJson(http.getRequest<FastifyRequest>().headers.accept)) {
      void reply.status(error.status).headers({ ...headers, 'cache-control': 'no-store' }).send({ error: error.code, message: error.message });
      return;
    }
    const html = errorPage(TITLES[error.status] ?? 'Error', error.message, error.code, error.startAgainPath);
    send(reply, { status: error.status, headers, html });
  }
}
