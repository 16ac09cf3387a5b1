import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ensureWebBuilt } from './support/browser.js';
import { startTestServer, type TestServer } from './support/goosed.js';

let goosed: TestServer;
beforeAll(async () => {
  goosed = await startTestServer();
});
afterAll(async () => {
  await goosed.close();
});

describe('the OpenAPI document', () => {
  it('served at /api/openapi.json is the committed openapi.json (run `npm run openapi` after changing routes)', async () => {
    const served = await (await goosed.request('/api/openapi.json')).json();
    const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(served).toEqual(committed);
  });

  it("describes the seed's session routes with the seed's status codes", async () => {
    const document = await (await goosed.request('/api/openapi.json')).json();
    expect(document.paths['/api/sessions'].get.responses['200'].content['application/json'].schema).toMatchObject({ type: 'array' });
    expect(document.paths['/api/sessions'].post.responses['201']).toBeDefined();
    expect(document.paths['/api/sessions/{id}'].delete).toBeDefined();
    expect(document.components.schemas.Session.properties).toHaveProperty('working_directory');
    expect(document.components.schemas.Error.required).toEqual(['error', 'code']);
  });

  it('serves an API reference page that loads nothing from elsewhere', { timeout: 60_000 }, async () => {
    await ensureWebBuilt(); // the page is built into dist/web with the web interface
    const response = await goosed.request('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('/api/openapi.json');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
  });
});
