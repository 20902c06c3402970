import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { answerClientErrors } from './client-errors';
import { malformedReply } from './reply-to-traefik';

/** Emits a client error with `code` on a server answering them, and reads what was written to the socket. */
async function answerTo(code: string, socket = new PassThrough()) {
  const server = createServer();
  server.on('clientError', () => {
    throw new Error('the listener that was there before (fastify\'s) must be gone');
  });
  answerClientErrors(server);
  const written: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => written.push(chunk));
  server.emit('clientError', Object.assign(new Error(code), { code }), socket as unknown as Socket);
  await new Promise((resolve) => setImmediate(resolve));
  const [head, body] = Buffer.concat(written).toString().split('\r\n\r\n');
  const [status, ...lines] = head.split('\r\n');
  return { status, headers: Object.fromEntries(lines.map((l) => l.split(': '))), body, destroyed: socket.destroyed };
}

describe('answering the requests node\'s HTTP parser refuses', () => {
  it('a NUL or invalid byte in a header, a garbage request line: verify\'s own 400, closed once written', async () => {
    const own = malformedReply('invalid-http');
    for (const code of ['HPE_INVALID_HEADER_TOKEN', 'HPE_INVALID_METHOD', 'HPE_UNEXPECTED_CONTENT_LENGTH']) {
      const answer = await answerTo(code);
      expect(answer).toEqual({
        status: 'HTTP/1.1 400 Bad Request',
        headers: { ...own.headers, connection: 'close', 'content-length': String(Buffer.byteLength(own.body)) },
        body: own.body,
        destroyed: true,
      });
    }
  });

  it('431 for headers over the limit and 408 for a request that did not arrive in time, JSON and no-store', async () => {
    const tooLarge = await answerTo('HPE_HEADER_OVERFLOW');
    const late = await answerTo('ERR_HTTP_REQUEST_TIMEOUT');
    expect([tooLarge.status, tooLarge.headers['cache-control'], JSON.parse(tooLarge.body).error.code]).toEqual(['HTTP/1.1 431 Request Header Fields Too Large', 'no-store', 'HEADERS_TOO_LARGE']);
    expect([late.status, late.headers['cache-control'], JSON.parse(late.body).error.code]).toEqual(['HTTP/1.1 408 Request Timeout', 'no-store', 'REQUEST_TIMEOUT']);
  });

  it('writes nothing on a socket that can no longer be written (reset by the peer, or answered already)', async () => {
    const ended = new PassThrough();
    ended.end();
    const answer = await answerTo('HPE_INVALID_HEADER_TOKEN', ended);
    expect([answer.status, answer.destroyed]).toEqual(['', true]);
  });
});
