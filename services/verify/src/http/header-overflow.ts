import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';

const BODY = '{"error":{"code":"HEADERS_TOO_LARGE","message":"request headers are over the 16 KB limit"}}';
const TOO_LARGE =
  'HTTP/1.1 431 Request Header Fields Too Large\r\nCache-Control: no-store\r\nContent-Type: application/json\r\n' +
  `Connection: close\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;

/**
 * Node refuses request headers over `--max-http-header-size` (16 KB) before any route runs, and
 * fastify's client-error handler answers that with a 400. FORWARD_AUTH.md wants a 431: answer
 * header overflows ourselves and leave every other client error to fastify.
 */
export function answerHeaderOverflow(fastify: FastifyInstance): void {
  const server = fastify.server;
  const previous = server.listeners('clientError') as ((err: Error, socket: Socket) => void)[];
  server.removeAllListeners('clientError');
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (err.code === 'HPE_HEADER_OVERFLOW' && socket.writable) {
      socket.end(TOO_LARGE);
      return;
    }
    for (const listener of previous) listener.call(server, err, socket);
  });
}
