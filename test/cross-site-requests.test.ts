// What another web site can make a browser send without an Origin (an <img>, a <script>, a link)
// must not start or read anything: only a person following a link to the web page gets through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-request.js';
import { removeDirectory, startTestServer, temporaryDirectory, type TestServer } from './support/goosed.js';
import { addExtension, getExtension, stdioFixtureConfig } from './support/extensions.js';

const IMAGE_FROM_ANOTHER_SITE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
const LINK_FROM_ANOTHER_SITE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };

let dataDir: string;
let goosed: TestServer;
beforeAll(async () => {
  // The extension is added, then the server restarted: it is enabled and not running.
  dataDir = temporaryDirectory();
  const first = await startTestServer({ dataDir, settings: { allowed_origins: ['https://app.example.com'] } });
  await addExtension(first, { name: 'fixture', config: stdioFixtureConfig() });
  await first.close();
  goosed = await startTestServer({ dataDir, settings: { allowed_origins: ['https://app.example.com'] } });
}, 30_000);
afterAll(async () => {
  await goosed.close();
  removeDirectory(dataDir);
});

describe('a request another site makes a browser send', () => {
  it('is refused with 403 forbidden_cross_site, and starts no extension', async () => {
    for (const path of ['/api/extensions?start=true', '/api/sessions', '/api/config', '/api/status']) {
      const answer = await rawRequest(goosed.url, path, IMAGE_FROM_ANOTHER_SITE);
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body), path).toEqual({ error: expect.any(String), code: 'forbidden_cross_site' });
    }
    expect((await getExtension(goosed, 'fixture')).state).toBe('stopped');
  });

  it('is refused when it is a link to the API rather than to the web page, or not a GET', async () => {
    const link = await rawRequest(goosed.url, '/api/extensions', LINK_FROM_ANOTHER_SITE);
    expect(link.status).toBe(403);
    expect(JSON.parse(link.body).code).toBe('forbidden_cross_site');
    const post = await rawRequest(goosed.url, '/', LINK_FROM_ANOTHER_SITE, 'POST');
    expect(post.status).toBe(403);
  });

  it('passes when it is a link to the web page or the API reference', async () => {
    for (const path of ['/', '/api/docs']) {
      const answer = await rawRequest(goosed.url, path, LINK_FROM_ANOTHER_SITE);
      expect(answer.status, path).not.toBe(403);
      expect(answer.headers['content-type'], path).toMatch(/text\/html/);
    }
  });

  it('passes from an origin in allowed_origins (CORS)', async () => {
    const answer = await rawRequest(goosed.url, '/api/extensions', { origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('passes from the page itself, a typed address, or a client that sends no Sec-Fetch-Site', async () => {
    for (const site of ['same-origin', 'same-site', 'none']) {
      expect((await rawRequest(goosed.url, '/api/sessions', { 'sec-fetch-site': site })).status, site).toBe(200);
    }
    expect((await rawRequest(goosed.url, '/api/sessions', {})).status).toBe(200);
  });
});

describe('starting extensions', () => {
  it('is not done by a GET: an unknown query parameter starts nothing', async () => {
    const listed = await goosed.request('/api/extensions?start=true');
    expect(listed.status).toBe(200);
    expect((await listed.json()).find((extension: { name: string }) => extension.name === 'fixture').state).toBe('stopped');
    expect((await getExtension(goosed, 'fixture')).state).toBe('stopped');
  });

  it('is POST /api/extensions/start, which answers the list once they run', async () => {
    const started = await goosed.request('/api/extensions/start', { method: 'POST' });
    expect(started.status).toBe(200);
    const fixture = (await started.json()).find((extension: { name: string }) => extension.name === 'fixture');
    expect(fixture.state).toBe('running');
    expect(fixture.tools.map((tool: { name: string }) => tool.name)).toContain('fixture__echo');
  });
});
