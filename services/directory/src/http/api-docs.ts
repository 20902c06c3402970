import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_PREFIX } from './directory-api.decorator';

/** Where the OpenAPI document and its browsable UI are served. */
export const DOCS_PATH = `/${API_PREFIX}/docs`;

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Directory admin API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css"></head><body><div id="ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script><script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
<script>window.onload=()=>{SwaggerUIBundle({url:'${DOCS_PATH}/openapi.json',dom_id:'#ui',presets:[SwaggerUIBundle.presets.apis,SwaggerUIStandalonePreset],layout:'StandaloneLayout'})}</script>
</body></html>`;

/**
 * Serves the admin API's OpenAPI document at `/api/directory/docs/openapi.json` and a Swagger UI
 * at `/api/directory/docs` (its assets read once from swagger-ui-dist: no @fastify/static needed).
 * The docs are public: they describe the API, they do not open it. Call before `init`/`listen`.
 */
export function serveApiDocs(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Directory admin API')
    .setDescription('Users, groups, memberships, access rules, service accounts and API tokens. Every change is an event on auth.directory.>. Updates honour If-Match (412 when stale).')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An admin API token (gat_...)' })
    .build();
  let document: object | null = null;
  const fastify = app.getHttpAdapter().getInstance();
  const dist = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  fastify.get(`${DOCS_PATH}/openapi.json`, async (_req, reply) => {
    document ??= SwaggerModule.createDocument(app, config);
    return reply.type('application/json').send(document);
  });
  fastify.get(DOCS_PATH, async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  for (const [file, type] of Object.entries(ASSETS)) {
    let body: Buffer | null = null;
    fastify.get(`${DOCS_PATH}/${file}`, async (_req, reply) => reply.type(type).send((body ??= readFileSync(join(dist, file)))));
  }
}
