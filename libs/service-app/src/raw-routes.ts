import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerOptions } from 'fastify';

/** Answers one request on node's own request and response objects. */
export type RawHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Paths answered by node's HTTP server itself, ahead of fastify and Nest (no hooks, no middleware,
 * no async context): for a route where every microsecond counts, verify's `/verify`. Every other
 * path goes to fastify. Such a handler owns everything fastify would have done: it must answer
 * every request, on every error path, and keep its own metrics.
 *
 * `createServiceApp` builds the server with `serverFactory` and provides the instance for
 * injection, so a service adds its routes while the app initialises.
 */
export class RawRoutes {
  private readonly routes = new Map<string, RawHandler>();
  private readonly fastifyDefaults: [string, string][] = [];
  private server: Server | null = null;

  /** Answers `path` (any method, any query string) with `handler`. */
  add(path: string, handler: RawHandler): void {
    this.routes.set(path, handler);
  }

  /**
   * Puts `name: value` on every answer fastify gives unless the route sets its own (node merges it
   * under fastify's headers), also on those fastify writes past its hooks (a malformed URL's 400,
   * the 503 while closing). Never on the paths answered here, which own their headers.
   */
  setFastifyDefaultHeader(name: string, value: string): void {
    this.fastifyDefaults.push([name, value]);
  }

  /** For fastify's `serverFactory`: an HTTP/1 server with fastify's own settings that routes by path first. */
  readonly serverFactory = (fastifyHandler: RequestListener, options: FastifyServerOptions & { http?: ServerOptions }): Server => {
    const server = createServer(options.http ?? {}, this.dispatch(fastifyHandler));
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
    server.requestTimeout = options.requestTimeout ?? 0;
    server.setTimeout(options.connectionTimeout ?? 0);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    this.server = server;
    return server;
  };

  /** The server's request listener: what a test injects requests into to go the way a real one goes. */
  get listener(): RequestListener {
    const listener = this.server?.listeners('request')[0];
    if (!listener) throw new Error('the server has not been built yet');
    return listener as RequestListener;
  }

  private dispatch(fastifyHandler: RequestListener): RequestListener {
    return (request, response) => {
      const url = request.url ?? '/';
      const query = url.indexOf('?');
      const handler = this.routes.get(query === -1 ? url : url.slice(0, query));
      if (handler) return handler(request, response);
      for (const [name, value] of this.fastifyDefaults) response.setHeader(name, value);
      fastifyHandler(request, response);
    };
  }
}
