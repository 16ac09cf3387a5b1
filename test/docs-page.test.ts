import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { DOCS_PAGE_CSP, DOCS_SCRIPT, renderDocsPage } from '../src/server/docs-page.js';
import { loadDocsRenderer, renderSchema, type OpenApiComponents } from '../src/server/docs-page-script.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// Small, but with every shape the renderer has a rule for: a $ref cycle, an enum, three spellings of
// nullable, a discriminated oneOf, a record, a ref'd request body and an SSE response.
const components: OpenApiComponents = {
  schemas: {
    Node: {
      type: 'object',
      description: 'A tree node.',
      properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Node') }, parent: { anyOf: [ref('Node'), { type: 'null' }] } },
      required: ['name', 'children'],
    },
    Mode: { type: 'string', enum: ['auto', 'approve', 'chat'], description: 'How tools run.' },
    Session: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        mode: { allOf: [ref('Mode'), { description: 'Overrides the server mode.' }] },
        title: { type: ['string', 'null'], description: 'Null until named.' },
        legacy: { type: 'string', nullable: true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        root: ref('Node'),
      },
      required: ['id', 'title'],
    },
    TextEvent: { type: 'object', properties: { type: { type: 'string', enum: ['text'] }, delta: { type: 'string' } }, required: ['type', 'delta'] },
    DoneEvent: { type: 'object', properties: { type: { type: 'string', const: 'done' }, total: { type: 'integer' } } },
    Event: { oneOf: [ref('TextEvent'), ref('DoneEvent')], discriminator: { propertyName: 'type', mapping: { text: '#/components/schemas/TextEvent' } } },
  },
  requestBodies: { NewSession: { required: true, content: { 'application/json': { schema: ref('Session') } } } },
};

const spec = {
  openapi: '3.1.0',
  info: { title: 'Sample API', version: '1.2.3', description: 'For `tests`.\n\nSecond paragraph.' },
  tags: [{ name: 'sessions', description: 'Conversations.' }],
  paths: {
    '/api/sessions': {
      get: {
        tags: ['sessions'],
        summary: 'List sessions',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 }, description: 'Page size.' }],
        responses: {
          200: {
            description: 'The page',
            headers: { 'X-Next-Cursor': { schema: { type: 'string' }, description: 'Where the next page starts.' } },
            content: { 'application/json': { schema: { type: 'array', items: ref('Session') } } },
          },
        },
      },
      post: { tags: ['sessions'], summary: 'Create a session', requestBody: { $ref: '#/components/requestBodies/NewSession' }, responses: { 201: { description: 'Created' } } },
    },
    '/api/sessions/{id}/events': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { summary: 'Follow a session', responses: { 200: { description: 'Events', content: { 'text/event-stream': { schema: ref('Event') } } } } },
    },
    '/api/status': { get: { summary: 'Health', responses: { 200: { description: 'Up' } } } },
  },
  components,
};

describe('renderDocsPage', () => {
  const html = renderDocsPage({ title: 'goosed API', specUrl: '/api/openapi.json' });

  it('loads nothing from outside the server', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]*rel\s*=\s*["']?stylesheet/i);
    expect(html).not.toMatch(/@import/i);
    // Absolute or protocol-relative URLs in any attribute or CSS url(): none at all, not only other hosts.
    expect(html).not.toMatch(/\b(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
  });

  it('allows exactly its inline script and style in the CSP', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    const digest = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(script).toBe(DOCS_SCRIPT);
    expect(DOCS_PAGE_CSP).toContain(`script-src ${digest(script ?? '')}`);
    expect(DOCS_PAGE_CSP).toContain(`style-src ${digest(style ?? '')}`);
    expect(DOCS_PAGE_CSP).toContain("connect-src 'self'");
    expect(DOCS_SCRIPT).not.toMatch(/<\/script|<!--/i);
    expect(() => new Function(DOCS_SCRIPT)).not.toThrow(); // parses: a syntax slip would blank the page
  });

  it('escapes its options and passes them as inert JSON', () => {
    const evil = renderDocsPage({ title: '</title><script>alert(1)</script>', specUrl: '/x?a=</script><b>&' });
    expect(evil).not.toContain('<script>alert(1)');
    expect(evil).toContain('&lt;/title&gt;&lt;script&gt;');
    const config = /<script type="application\/json" id="docs-config">([^<]*)<\/script>/.exec(evil)?.[1] ?? '';
    expect(JSON.parse(config)).toEqual({ specUrl: '/x?a=</script><b>&' });
    expect(evil.match(/<script/g)).toHaveLength(2);
  });

  it('is accessible by construction: labelled inputs, one h1, a skip link', () => {
    expect(html).toMatch(/<label[^>]*for="search"/);
    expect(html).toMatch(/<label[^>]*for="key-input"/);
    expect(html).toMatch(/<input id="key-input"[^>]*type="password"/);
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('href="#app"');
    expect(html).toContain('prefers-color-scheme:dark');
    expect(html).toContain(':focus-visible');
  });
});

describe('renderSchema', () => {
  it('stops at a $ref cycle however deep it may expand', () => {
    const out = renderSchema(ref('Node'), components, { expand: 50 });
    expect(out).toContain('Recursive');
    expect(out).toContain('href="#schema-Node"');
    expect(out.match(/<table/g)).toHaveLength(1); // Node itself once, its self-references only as links
  });

  it('shows enums, the three spellings of nullable, records and folded allOf notes', () => {
    const out = renderSchema(ref('Session'), components);
    expect(out).toContain('Null until named.');
    expect(out.match(/>nullable</g)).toHaveLength(2); // title and legacy; root (a Node) is a link at expand 1
    expect(renderSchema(ref('Node'), components)).toMatch(/<code>parent<\/code><\/th><td class="type"><a class="ref" href="#schema-Node">Node<\/a> <span class="badge">nullable<\/span>/);
    expect(out).toContain('record&lt;string, string&gt;');
    expect(out).toContain('Overrides the server mode.');
    expect(out).toContain('string <span class="fmt">(uuid)</span>');
    const mode = renderSchema(ref('Mode'), components);
    expect(mode).toContain('one of <code>&quot;auto&quot;</code>, <code>&quot;approve&quot;</code>, <code>&quot;chat&quot;</code>');
    expect(renderSchema({ type: 'string', enum: ['a', null] })).toContain('nullable');
    // zod-openapi's spelling of a nullable ref with its own description.
    const folded = renderSchema({ allOf: [ref('Mode'), { type: ['object', 'null'], description: 'Why.' }] }, components, { expand: 0 });
    expect(folded).toBe('<div class="schema"><p class="sig"><a class="ref" href="#schema-Mode">Mode</a> <span class="badge">nullable</span></p><p class="desc">Why.</p></div>');
  });

  it('shows a discriminated oneOf with each variant and its tag', () => {
    const out = renderSchema(ref('Event'), components, { expand: 2 });
    expect(out).toContain('Exactly one of, told apart by <code>&quot;type&quot;</code>');
    expect(out).toContain('<code>type: &quot;text&quot;</code>'); // from the mapping
    expect(out).toContain('<code>type: &quot;done&quot;</code>'); // from the variant's const
    expect(out).toContain('<details><summary>Show TextEvent</summary>');
  });

  it('handles arrays, unions of primitives, unresolved refs and junk without throwing', () => {
    expect(renderSchema({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } })).toContain('(string | number)[]');
    expect(renderSchema({ $ref: '#/components/schemas/Missing' }, components)).toContain('Unresolved reference');
    expect(() => loadDocsRenderer().renderDocument({ paths: { '/x': { get: { parameters: [null, 'p'], responses: { 200: null } } } } })).not.toThrow();
    for (const junk of [undefined, null, 1, 'x', [], { type: 5 }, { properties: null }, { oneOf: [null, 2], discriminator: { propertyName: 'k' } }, { properties: { a: null } }]) expect(() => renderSchema(junk, components)).not.toThrow();
  });

  it('escapes every string taken from the spec', () => {
    const xss = '<img src=x onerror=alert(1)>';
    const hostile = {
      info: { title: xss, description: xss, version: xss },
      tags: [{ name: xss }],
      paths: { [`/api/${xss}`]: { get: { tags: [xss], summary: xss, parameters: [{ name: xss, in: 'query', schema: { enum: [xss, 'b'] } }], responses: { 200: { description: xss } } } } },
      components: { schemas: { [xss]: { type: 'object', description: xss, properties: { [xss]: { type: 'string', description: xss, default: xss } } } } },
    };
    const out = loadDocsRenderer().renderDocument(hostile);
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderDocument', () => {
  const docs = loadDocsRenderer();
  const out = docs.renderDocument(spec);

  it('groups operations by tag, else by the first path segment after /api', () => {
    const groups = docs.groupOperations(spec);
    expect(groups.map((g) => [g.name, g.operations.map((o) => `${o.method} ${o.path}`)])).toEqual([
      ['sessions', ['get /api/sessions', 'post /api/sessions', 'get /api/sessions/{id}/events']],
      ['status', ['get /api/status']],
    ]);
    expect(groups[0]?.operations[2]?.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('renders info, operations, parameters, bodies, headers, SSE and every schema', () => {
    expect(out).toContain('Sample API <span class="badge">1.2.3</span>');
    expect(out).toContain('<p class="desc">For <code>tests</code>.</p><p class="desc">Second paragraph.</p>');
    expect(out).toContain('<span class="method m-get">get</span> <code class="path">/api/sessions</code>');
    expect(out).toContain('min <code>1</code> &middot; max <code>500</code>');
    expect(out).toMatch(/Request body <span class="badge req">required<\/span><\/h4><p class="media"><code>application\/json<\/code><\/p><div class="schema"><p class="sig"><a class="ref" href="#schema-Session">/);
    expect(out).toContain('<code>X-Next-Cursor</code>');
    expect(out).toContain('<a class="ref" href="#schema-Session">Session</a>[]');
    expect(out).toMatch(/text\/event-stream<\/code> a stream of Server-Sent Events[\s\S]*?Exactly one of/);
    for (const name of Object.keys(components.schemas ?? {})) expect(out).toContain(`id="schema-${name}"`);
  });

  it('has a target for every in-page link and no duplicate ids', () => {
    const ids = [...out.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, target] of out.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(target);
  });

  it('matches search terms anywhere, all of them, case-insensitively', () => {
    expect(docs.matchesQuery('get /api/sessions List sessions', 'LIST get')).toBe(true);
    expect(docs.matchesQuery('get /api/sessions', 'post')).toBe(false);
    expect(docs.matchesQuery('anything', '  ')).toBe(true);
  });
});

// The page's own script, run against stand-ins for the few browser objects it touches.
type FakeNode = { id: string; hidden: boolean; attributes: Record<string, string>; getAttribute(name: string): string | null; querySelectorAll(selector: string): FakeNode[] };

/** The nodes the search works on, read from rendered markup; a group holds what lies before the next group. */
function parseNodes(html: string): FakeNode[] {
  const found: Array<{ node: FakeNode; at: number }> = [];
  const select = (selector: string, from: number, to: number) => {
    const attribute = /^\[([\w-]+)\]$/.exec(selector)?.[1] ?? '';
    return found.filter((f) => attribute in f.node.attributes && f.at > from && f.at < to).map((f) => f.node);
  };
  for (const tag of html.matchAll(/<\w+((?:\s+[\w-]+(?:="[^"]*")?)*)\s*>/g)) {
    const attributes = Object.fromEntries([...(tag[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1] ?? '', a[2] ?? '']));
    if (!['data-search', 'data-group', 'data-for'].some((name) => name in attributes)) continue;
    const at = tag.index;
    const node: FakeNode = {
      id: attributes.id ?? '',
      hidden: false,
      attributes,
      getAttribute: (name) => attributes[name] ?? null,
      querySelectorAll: (selector) => {
        const next = found.find((f) => f.at > at && 'data-group' in f.node.attributes)?.at ?? Infinity;
        return select(selector, at, next);
      },
    };
    found.push({ node, at });
  }
  return found.map((f) => f.node);
}

class FakeElement {
  hidden = false;
  disabled = false;
  textContent = '';
  value = '';
  innerHTML = '';
  readonly listeners = new Map<string, (event: unknown) => void>();
  private parsed: { html: string; nodes: FakeNode[] } = { html: '', nodes: [] };
  constructor(
    readonly id: string,
    private readonly focus_: (id: string) => void = () => {},
  ) {}
  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, listener);
  }
  focus(): void {
    this.focus_(this.id);
  }
  querySelectorAll(selector: string): FakeNode[] {
    // Same markup, same nodes: the script hides nodes in one call and reads them back in the next.
    if (this.parsed.html !== this.innerHTML) this.parsed = { html: this.innerHTML, nodes: parseNodes(this.innerHTML) };
    const attribute = /^\[([\w-]+)\]$/.exec(selector)?.[1] ?? '';
    return this.parsed.nodes.filter((node) => attribute in node.attributes);
  }
}

function runPage(href: string, responses: Array<{ status: number; body?: unknown }>, stored?: string) {
  const world = { focused: null as string | null };
  const elements = new Map<string, FakeElement>();
  for (const id of ['app', 'status', 'key-form', 'key-input', 'key-error', 'search', 'search-count']) {
    elements.set(id, new FakeElement(id, (focused) => void (world.focused = focused)));
  }
  // As the page's markup starts them: the form hidden, the search off until there is something to search.
  elements.get('key-form')!.hidden = true;
  elements.get('search')!.disabled = true;
  const config = new FakeElement('docs-config');
  config.textContent = JSON.stringify({ specUrl: '/api/openapi.json' });
  elements.set('docs-config', config);
  const storage = new Map<string, string>(stored ? [['goosed.key', stored]] : []);
  const parsedHref = new URL(href);
  const page = {
    document: { getElementById: (id: string) => elements.get(id) ?? null, addEventListener: () => {} },
    location: { href, hash: parsedHref.hash },
    history: { state: null, replaceState: vi.fn() },
    sessionStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
    },
    fetch: vi.fn(async (_url: string, _init: { headers: Record<string, string> }) => {
      const next = responses.shift() ?? { status: 500 };
      return { status: next.status, ok: next.status < 300, json: async () => next.body };
    }),
  };
  new Function('document', 'location', 'history', 'sessionStorage', 'fetch', DOCS_SCRIPT)(
    page.document,
    page.location,
    page.history,
    page.sessionStorage,
    page.fetch,
  );
  const el = (id: string) => elements.get(id)!;
  return { ...page, el, storage, world };
}

describe('the page script', () => {
  it('takes ?key= once: stores it, strips it from the address bar, sends it as a Bearer token', async () => {
    const page = runPage('http://127.0.0.1:8080/api/docs?key=s3cret&x=1#op-get--api-status', [{ status: 200, body: spec }]);
    expect(page.history.replaceState).toHaveBeenCalledWith(null, '', '/api/docs?x=1#op-get--api-status');
    expect(page.storage.get('goosed.key')).toBe('s3cret');
    await vi.waitFor(() => expect(page.el('app').innerHTML).toContain('Sample API'));
    expect(page.fetch).toHaveBeenCalledWith('/api/openapi.json', expect.objectContaining({ headers: { Authorization: 'Bearer s3cret' } }));
    expect(page.el('status').hidden).toBe(true);
    expect(page.el('search').disabled).toBe(false);
  });

  it('asks for the key on 401, then retries with what was typed', async () => {
    const page = runPage('http://127.0.0.1:8080/api/docs', [{ status: 401 }, { status: 200, body: spec }]);
    await vi.waitFor(() => expect(page.el('key-form').hidden).toBe(false));
    expect(page.fetch.mock.calls[0]?.[1].headers).toEqual({});
    expect(page.world.focused).toBe('key-input');
    page.el('key-input').value = ' typed-key ';
    page.el('key-form').listeners.get('submit')!({ preventDefault: () => {} });
    await vi.waitFor(() => expect(page.el('app').innerHTML).toContain('Sample API'));
    expect(page.fetch.mock.calls[1]?.[1].headers).toEqual({ Authorization: 'Bearer typed-key' });
    expect(page.storage.get('goosed.key')).toBe('typed-key');
    expect(page.el('key-form').hidden).toBe(true);
  });

  it('forgets a stored key the server refuses and says so', async () => {
    const page = runPage('http://127.0.0.1:8080/api/docs', [{ status: 401 }], 'stale');
    await vi.waitFor(() => expect(page.el('key-form').hidden).toBe(false));
    expect(page.fetch.mock.calls[0]?.[1].headers).toEqual({ Authorization: 'Bearer stale' });
    expect(page.storage.has('goosed.key')).toBe(false);
    expect(page.el('key-error').textContent).toMatch(/not accepted/);
  });

  it('filters operations, schemas, groups and contents entries as the user types', async () => {
    const page = runPage('http://127.0.0.1:8080/api/docs', [{ status: 200, body: spec }]);
    await vi.waitFor(() => expect(page.el('search').disabled).toBe(false));
    page.el('search').value = 'health';
    page.el('search').listeners.get('input')!({});
    const shown = (attribute: string) => page.el('app').querySelectorAll(`[${attribute}]`).filter((n) => !n.hidden).map((n) => n.id || n.getAttribute('data-for'));
    expect(shown('data-search')).toEqual(['op-get--api-status']);
    expect(shown('data-group')).toEqual(['tag-status']);
    expect(shown('data-for')).toEqual(['tag-status', 'op-get--api-status']);
    expect(page.el('search-count').textContent).toBe('1 of 10 match');
  });

  it('reports a server that cannot be reached instead of staying blank', async () => {
    const page = runPage('http://127.0.0.1:8080/api/docs', [{ status: 503 }]);
    await vi.waitFor(() => expect(page.el('status').textContent).toContain('503'));
    expect(page.el('status').hidden).toBe(false);
  });
});

// Bonus: the real page in a real browser, offline. Only where the system has Chromium.
const CHROMIUM = '/usr/bin/chromium';
describe.skipIf(!existsSync(CHROMIUM))('in headless Chromium', () => {
  it('renders the sample spec with the CSP on, fetching nothing else, and saves a screenshot', { timeout: 60_000 }, async () => {
    const { chromium } = await import('playwright-core');
    const key = 'test-key';
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/api/docs') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': DOCS_PAGE_CSP });
        return res.end(renderDocsPage({ title: 'Sample API reference', specUrl: '/api/openapi.json' }));
      }
      if (url.pathname === '/api/openapi.json') {
        if (req.headers.authorization !== `Bearer ${key}`) return res.writeHead(401).end('{"error":"key","code":"unauthorized"}');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify(spec));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => void (message.type() === 'error' && !message.text().includes('401') && problems.push(message.text())));
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => void (!request.url().startsWith(origin) && !request.url().startsWith('data:') && problems.push(`fetched ${request.url()}`)));

      // No key yet: the form, used with the keyboard only.
      await page.goto(`${origin}/api/docs`);
      await page.locator('#key-input').waitFor({ state: 'visible' });
      await page.keyboard.type(key);
      await page.keyboard.press('Enter');
      await page.locator('.op').first().waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('goosed.key'))).toBe(key);

      // A ?key= link in a fresh tab: used, then gone from the address bar.
      const second = await browser.newPage();
      await second.goto(`${origin}/api/docs?key=${key}`);
      await second.locator('.op').first().waitFor();
      expect(new URL(second.url()).search).toBe('');

      await page.keyboard.press('/');
      await page.keyboard.type('health');
      expect(await page.locator('.op:visible').count()).toBe(1);
      await page.keyboard.press('Escape');
      expect(await page.locator('.op:visible').count()).toBe(4);

      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: 'test-output/docs-page.png', fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: 'test-output/docs-page-dark.png' });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
