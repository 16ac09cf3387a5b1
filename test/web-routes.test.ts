import { gunzipSync } from 'node:zlib';
import { OpenAPIHono } from '@hono/zod-openapi';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/server/app-context.js';
import { renderErrors } from '../src/server/error-handler.js';
import { WEB_PAGE_CSP, webRoutes } from '../src/server/routes/web-routes.js';
import { ensureWebBuilt } from './support/browser.js';
import { removeDirectory, startTestServer, temporaryDirectory, type TestServer } from './support/goosed.js';

const KEY = 'web-routes-test-key-0123456789abcdef';
let goosed: TestServer;
let page: string;
let assets: string[];

beforeAll(async () => {
  await ensureWebBuilt();
  goosed = await startTestServer({ secretKey: KEY });
  page = await (await fetch(`${goosed.url}/`)).text();
  assets = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
}, 60_000);
afterAll(() => goosed.close());

describe('the web interface at /', () => {
  it('is served without the key (it holds no data), with a strict CSP', async () => {
    const response = await fetch(`${goosed.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(WEB_PAGE_CSP);
    expect(WEB_PAGE_CSP).toContain("default-src 'none'");
    expect(WEB_PAGE_CSP).toContain("script-src 'self'");
    expect(WEB_PAGE_CSP).not.toContain('unsafe');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    // Everything it loads is its own: no other host, no inline script.
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
  });

  it('serves its hashed files with their types, cached for good, compressed when asked', async () => {
    for (const path of assets) {
      const plain = await fetch(`${goosed.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe(path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = Buffer.from(await plain.arrayBuffer());

      // fetch would unpack gzip itself; a raw look shows what was sent.
      const { request } = await import('node:http');
      const zipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        request(`${goosed.url}${path}`, { headers: { 'accept-encoding': 'gzip, br' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
      // Files under 1 KiB (a chunk shared with the API reference page) gain nothing from it.
      if (body.length <= 1024) {
        expect(zipped.encoding, path).toBeUndefined();
        continue;
      }
      expect(zipped.encoding, path).toBe('gzip');
      expect(gunzipSync(zipped.body).equals(body)).toBe(true);
    }
    const icon = await fetch(`${goosed.url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers a revalidation with 304 and HEAD without a body', async () => {
    const first = await fetch(`${goosed.url}/`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await fetch(`${goosed.url}/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const head = await fetch(`${goosed.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('keeps the API behind the key, the Host check in front of the page, and unknown files out', async () => {
    expect((await fetch(`${goosed.url}/api/sessions`)).status).toBe(401);
    expect((await fetch(`${goosed.url}/assets/nested/path.js`)).status).toBe(401);
    const missing = await fetch(`${goosed.url}/assets/missing-file.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
    expect((await fetch(`${goosed.url}/`, { method: 'POST' })).status).toBe(405);
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${goosed.url}/`, { headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it('says how to build it when dist/web is missing', async () => {
    const empty = temporaryDirectory();
    try {
      const app = new OpenAPIHono<AppEnv>();
      webRoutes(app, { root: empty });
      app.onError(renderErrors({ logger: pino({ level: 'silent' }) }));
      for (const path of ['/', '/api/docs']) {
        const response = await app.request(path);
        expect(response.status, path).toBe(503);
        expect(await response.json(), path).toMatchObject({ code: 'web_interface_not_built' });
      }
    } finally {
      removeDirectory(empty);
    }
  });
});
