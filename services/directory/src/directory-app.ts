import { connectMessageHandlers, type LinkedNatsServer } from '@gate/messaging';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { serveApiDocs } from './http/api-docs';
import { DirectoryExceptionFilter } from './http/directory-exception.filter';

/** What the directory app needs beyond its module: JSON body errors, the API docs and its NATS handlers (returned). */
export function configureDirectoryApp(app: NestFastifyApplication): LinkedNatsServer {
  // Global too, for what fails before a controller runs (malformed JSON, too large a body).
  app.useGlobalFilters(new DirectoryExceptionFilter());
  serveApiDocs(app);
  return connectMessageHandlers(app, 'directory');
}
