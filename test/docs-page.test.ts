import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_PAGE_CSP } from '../src/server/routes/web-routes.js';
import { ensureWebBuilt, launchChromium, watchForProblems } from './support/browser.js';
import { startTestServer, type TestServer } from './support/goosed.js';

// GET /api/docs: Swagger UI, served by goosed itself, on a server with a secret key. The page is
// public, the document it renders is not: it asks for the key, then shows every operation and schema.

const KEY = 'docs-page-test-key-0123456789abcdef';
type OpenApiDocument = { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

let goosed: TestServer;
let browser: Browser;
let spec: OpenApiDocument;
/** Every request any page of the test made, with the Authorization header it carried. */
const requests: { url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  [goosed, browser] = await Promise.all([startTestServer({ secretKey: KEY }), ensureWebBuilt().then(launchChromium)]);
  spec = await (await goosed.request('/api/openapi.json')).json();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await goosed?.close();
});

/** A fresh tab that records its requests, problems and CSP violations (the event fires before any console message). */
async function openTab(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Swagger UI takes seconds to lay out the whole document on a loaded machine.
  page.setDefaultTimeout(40_000);
  const problems = watchForProblems(page, goosed.url);
  page.on('request', (request) => void requests.push({ url: request.url(), authorization: request.headers().authorization }));
  await page.exposeFunction('reportViolation', (text: string) => void problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return { page, problems };
}

const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );

const shownOperations = (page: Page) =>
  page.locator('.opblock-summary').evaluateAll((blocks) =>
    blocks.map((block) => `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
  );

describe('GET /api/docs', () => {
  it('is served without the key, holds no data, and loads only its own files under a strict CSP', async () => {
    const response = await fetch(`${goosed.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(DOCS_PAGE_CSP);
    expect(DOCS_PAGE_CSP).toContain("default-src 'none'");
    expect(DOCS_PAGE_CSP).toContain("script-src 'self';");
    expect(DOCS_PAGE_CSP).toContain("style-src 'self';");
    expect(DOCS_PAGE_CSP).toContain("connect-src 'self';");
    expect(DOCS_PAGE_CSP).not.toContain('unsafe');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/(?:src|href)="(?:[a-z]+:)?\/\//i); // nothing from another host
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    for (const path of assets) {
      const asset = await fetch(`${goosed.url}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
    }
  });

  it('asks for the key, renders every operation and schema, and sends the key with "Try it out"', { timeout: 120_000 }, async () => {
    const { page, problems } = await openTab();
    await page.goto(`${goosed.url}/api/docs`);
    const keyInput = page.getByLabel('Secret key');
    await keyInput.waitFor();
    await expect(keyInput.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type(KEY);
    await page.keyboard.press('Enter');
    await page.locator('.opblock').first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('goosed.key'))).toBe(KEY);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/docs-page.png' });

    const operations = operationsOf(spec);
    expect(operations).toEqual(expect.arrayContaining(['GET /api/status', 'POST /api/sessions', 'GET /api/sessions/{id}/events', 'POST /api/sessions/{id}/messages/stream', 'PATCH /api/extensions/{id}/toggle']));
    expect((await shownOperations(page)).sort()).toEqual(operations.sort());

    // Every schema, event payloads among them, is listed; one opens to show its properties.
    const schemas = page.locator('section.models article[data-json-schema-level="0"]');
    const titles = await schemas.locator(':scope > .json-schema-2020-12-head .json-schema-2020-12__title').allTextContents();
    expect(titles.sort()).toEqual(Object.keys(spec.components.schemas).sort());
    expect(titles).toEqual(expect.arrayContaining(['Session', 'SessionEvent', 'ContentDeltaEvent', 'ToolUseEvent', 'MessageCompleteEvent']));
    const session = schemas.filter({ has: page.locator(':scope > .json-schema-2020-12-head .json-schema-2020-12__title', { hasText: /^Session$/ }) });
    await session.locator(':scope > .json-schema-2020-12-head .json-schema-2020-12-accordion').click();
    await session.getByText('working_directory', { exact: true }).waitFor();

    await page.screenshot({ path: 'test-output/docs-page-schema.png' });

    // "Try it out" on GET /api/sessions: the request carries the key, and the server accepts it.
    const operation = page.locator('.opblock', { has: page.locator('.opblock-summary-path[data-path="/api/sessions"]') }).filter({ has: page.locator('.opblock-summary-method', { hasText: 'GET' }) });
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const sent = requests.length;
    await operation.getByRole('button', { name: 'Execute' }).click();
    await operation.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor();
    const tried = requests.slice(sent).filter((request) => new URL(request.url).pathname === '/api/sessions');
    expect(tried).toEqual([{ url: expect.stringContaining(`${goosed.url}/api/sessions`), authorization: `Bearer ${KEY}` }]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes ?key= once and removes it from the address bar; forgets a key the server refuses', { timeout: 120_000 }, async () => {
    const { page, problems } = await openTab();
    await page.goto(`${goosed.url}/api/docs?key=${KEY}#/sessions`);
    await page.locator('.opblock').first().waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).hash).toBe('#/sessions');

    await page.evaluate(() => sessionStorage.setItem('goosed.key', 'not-the-key'));
    await page.reload();
    await page.getByText('That key was not accepted.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('goosed.key'))).toBeNull();
    expect(await page.locator('.opblock').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('made no request to any other origin, and sent the key nowhere but to this server', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((request) => !request.url.startsWith(`${goosed.url}/`))).toEqual([]);
  });
});
