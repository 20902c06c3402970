import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LoginError } from '../login/login-errors';
import { errorPage } from './pages';
import { send } from './outcome';

const TITLES: Record<number, string> = { 400: 'Sign-in failed', 403: 'Not allowed', 404: 'Not found', 429: 'Too many attempts', 503: 'Temporarily unavailable' };

/** Maps a LoginError to its status and an HTML page, once, at the edge (429 with Retry-After). */
@Catch(LoginError)
export class LoginErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('Login');

  catch(error: LoginError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    this.log.warn(`${error.code}${error.provider ? ` (${error.provider})` : ''}: ${error.message}`);
    const headers: Record<string, string> = error.retryAfterSec ? { 'retry-after': String(error.retryAfterSec) } : {};
    send(reply, { status: error.status, headers, html: errorPage(TITLES[error.status] ?? 'Error', error.message, error.code) });
  }
}
