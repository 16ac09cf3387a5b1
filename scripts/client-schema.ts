import openapiTS, { astToString } from 'openapi-typescript';

// src/client/schema.ts is generated from openapi.json: `npm run openapi` writes both, and
// test/client.test.ts regenerates it to prove the committed file still matches the document.

export const CLIENT_SCHEMA_FILE = new URL('../src/client/schema.ts', import.meta.url);

const HEADER =
  '// Generated from openapi.json by `npm run openapi` (openapi-typescript). Do not edit by hand:\n' +
  '// change the route schemas and run it again.\n\n';

export async function renderClientSchema(document: object): Promise<string> {
  // openapi-typescript annotates the object it is given; it gets a copy.
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}
