import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorReply, malformedReply, type TraefikReply } from './reply-to-traefik';

/** A whole HTTP/1.1 answer written straight to a socket whose parser has failed, so with `Connection: close`. */
function onTheWire(reply: TraefikReply): string {
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status]}`];
  for (const [name, value] of Object.entries(reply.headers)) lines.push(`${name}: ${value}`);
  lines.push('connection: close', `content-length: ${Buffer.byteLength(reply.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${reply.body}`;
}

const HEADERS_TOO_LARGE = onTheWire(errorReply(431, 'HEADERS_TOO_LARGE', 'request headers are over the 16 KB limit'));
const TIMEOUT = onTheWire(errorReply(408, 'REQUEST_TIMEOUT', 'the request did not arrive in time'));
const UNPARSEABLE = onTheWire(malformedReply('invalid-http'));

/**
 * Answers what node's HTTP parser refuses before any route runs, in place of fastify's handler
 * (whose JSON has no no-store and a shape of its own): headers over `--max-http-header-size`
 * (16 KB) get a 431, a request that does not arrive in time a 408, anything else (a NUL or other
 * invalid byte in a header, a garbage request line) verify's own 400 for a malformed forwarded
 * request. Each is JSON with `Cache-Control: no-store` (FORWARD_AUTH.md: every answer) and
 * `Connection: close`: the parser cannot go on, so the socket is closed once the answer is out.
 */
export function answerClientErrors(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    // Reset by the peer, or answered already (more bytes reached the failed parser).
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const answer = err.code === 'HPE_HEADER_OVERFLOW' ? HEADERS_TOO_LARGE : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? TIMEOUT : UNPARSEABLE;
    socket.end(answer, () => socket.destroy());
  });
}
