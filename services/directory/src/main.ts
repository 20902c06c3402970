import { bootstrapService } from '@gate/observability';
import { directoryConfigSchema } from './config';
import { configureDirectoryApp } from './directory-app';
import { DirectoryModule } from './directory.module';

void bootstrapService({ service: 'directory', configSchema: directoryConfigSchema, module: DirectoryModule, configure: configureDirectoryApp });
