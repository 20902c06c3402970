import { connectMessageHandlers } from '@gate/messaging';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DirectoryConfig } from './config';
import { serveApiDocs } from './http/api-docs';
import { DirectoryExceptionFilter } from './http/directory-exception.filter';

/** What the directory app needs beyond its module: JSON body errors, the API docs and its NATS handlers. */
export function configureDirectoryApp(app: NestFastifyApplication, config: DirectoryConfig): void {
  // Global too, for what fails before a controller runs (malformed JSON, too large a body).
  app.useGlobalFilters(new DirectoryExceptionFilter());
  serveApiDocs(app);
  connectMessageHandlers(app, { servers: config.NATS_URL, service: 'directory' });
}
