import { directoryConfigSchema } from './config';
import { configureDirectoryApp } from './directory-app';
import { DirectoryModule } from './directory.module';

/** The directory service as `bootstrapService`/`startService` start it. */
export const directoryService = { service: 'directory', configSchema: directoryConfigSchema, module: DirectoryModule, configure: configureDirectoryApp };
