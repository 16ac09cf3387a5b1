import pino from 'pino';
import { createApp } from '../src/server/app.js';
import { openApiDocument } from '../src/server/routes/openapi-routes.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { TieredStore } from '../src/store/tiered-store.js';
import { RuntimeSettings } from '../src/config/runtime-settings.js';
import { buildContext } from '../src/server/build-context.js';
import { SecurityPolicy } from '../src/server/middleware/security-policy.js';
import { VERSION } from '../src/version.js';
import { writeFileSync } from 'node:fs';
import { CLIENT_SCHEMA_FILE, renderClientSchema } from './client-schema.js';

// `npm run openapi`: writes the document generated from the route schemas to openapi.json.
// It is built without a server (no port, no files); a test compares it with what goosed serves.
async function buildOpenApiDocument() {
  const store = new TieredStore(new SqliteStore(':memory:'));
  const settings = new RuntimeSettings({}, null);
  const policy = new SecurityPolicy({ host: '127.0.0.1', secretKey: null, allowedHosts: [], allowedOrigins: [] });
  const app = createApp(buildContext({ store, settings, logger: pino({ level: 'silent' }), policy: () => policy, bodyLimitBytes: 1 }));
  const document = openApiDocument(app, VERSION);
  await store.close();
  return document;
}

const document = await buildOpenApiDocument();
writeFileSync(new URL('../openapi.json', import.meta.url), `${JSON.stringify(document, null, 2)}\n`);
// The typed client's types come from the same document, so the two cannot drift apart.
writeFileSync(CLIENT_SCHEMA_FILE, await renderClientSchema(JSON.parse(JSON.stringify(document))));
process.stdout.write('wrote openapi.json and src/client/schema.ts\n');
