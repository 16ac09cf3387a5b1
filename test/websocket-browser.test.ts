import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { mergeDeltaRuns } from './support/delta-runs.js';
import { wsUrl } from './support/ws-client.js';

// The seed's own browser snippet (goose guide, chapter 8, "WebSocket API") in a real page in
// headless Chromium, against a real goosed. The page comes from a second loopback server, so it is
// a cross-origin page: goosed accepts it only once its origin is in allowed_origins. The snippet
// also runs inside goosed's own web page (same origin) when the web interface is built.
const CHROMIUM = '/usr/bin/chromium';

/** The seed's snippet, recording what it sees; PARAMS is where it finds the URL (and the key, if any). */
const SEED_SNIPPET = `
  const params = new URLSearchParams(PARAMS);
  window.received = [];
  window.states = [];

  const ws = new WebSocket(params.get('ws'));

  ws.onopen = () => {
    console.log('Connected');
    window.states.push('open');
    if (params.get('key')) ws.send(JSON.stringify({ type: 'auth', key: params.get('key') }));
    ws.send(JSON.stringify({ type: 'message', content: 'Create a function...' }));
  };

  ws.onmessage = (event) => {
    const data = JSON.parse(event.data);
    console.log('Message:', data);
    window.received.push(data);
  };

  ws.onerror = (error) => {
    console.error('WebSocket error:', error);
    window.states.push('error');
  };

  ws.onclose = (event) => {
    console.log('Disconnected');
    window.states.push('close:' + event.code + ':' + event.reason);
  };
`;

const SEED_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>goosed WebSocket, as the seed shows it</title>
<script>${SEED_SNIPPET.replace('PARAMS', 'location.search')}</script>`;

async function servePage(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(SEED_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.skipIf(!existsSync(CHROMIUM))("the seed's browser snippet in headless Chromium", () => {
  let harness: ReplyHarness;
  let llm: ScriptedLlm;
  let goosed: TestServer;
  let keyed: TestServer;
  let allowedPage: { origin: string; server: Server };
  let foreignPage: { origin: string; server: Server };
  let browser: Browser;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    harness = await startReplyHarness();
    ({ llm, goosed } = harness);
    keyed = await startScriptedServer(llm, { secretKey: 'browser-test-secret-key-42' });
    allowedPage = await servePage();
    foreignPage = await servePage();
    for (const server of [goosed, keyed]) {
      const patched = await server.request('/api/config', { method: 'PATCH', json: { allowed_origins: [allowedPage.origin] } });
      expect(patched.status).toBe(200);
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    for (const page of [allowedPage, foreignPage]) await new Promise((resolve) => page?.server.close(resolve));
    await keyed?.close();
    await harness?.close();
  });

  async function openSeedPage(origin: string, socketUrl: string, key?: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    const query = new URLSearchParams({ ws: socketUrl, ...(key ? { key } : {}) });
    await page.goto(`${origin}/?${query}`);
    return page;
  }

  const receivedUntilComplete = (page: Page) =>
    page
      .waitForFunction(() => (window as any).received.some((event: any) => event.type === 'message_complete'), null, { timeout: 20_000 })
      .then(() => page.evaluate(() => (window as any).received as any[]));

  it('from an allowed origin: connects, sends a message, and receives the reply as JSON messages', { timeout: 60_000 }, async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ["I'll create", ' a function'] });
    const page = await openSeedPage(allowedPage.origin, wsUrl(goosed, `/api/sessions/${session.id}/stream`));
    const received = await receivedUntilComplete(page);
    const reply = received.filter((event) => event.type === 'content_delta' || event.type === 'message_complete');
    expect(mergeDeltaRuns(reply.map((event) => event.type))).toEqual(['content_delta', 'message_complete']);
    expect(reply.filter((event) => event.type === 'content_delta').map((event) => event.delta).join('')).toBe("I'll create a function");
    expect(reply.at(-1).message).toMatchObject({ content: "I'll create a function", status: 'complete' });
    expect(consoleLines).toContain('Connected');
    expect(consoleLines.some((line) => line.startsWith('Message:'))).toBe(true);

    // The snippet's `ws` is a top-level const of the page's script: reachable by name from page code.
    await page.evaluate('ws.close()');
    await page.waitForFunction(() => (window as any).states.some((state: string) => state.startsWith('close:')));
    expect(await page.evaluate(() => (window as any).states)).toEqual(['open', 'close:1005:']);
    await page.close();
  });

  it('from an origin that is not allowed: the upgrade is refused and nothing reaches the agent', { timeout: 60_000 }, async () => {
    const session = await createSession(goosed);
    const requests = llm.requests.length;
    const page = await openSeedPage(foreignPage.origin, wsUrl(goosed, `/api/sessions/${session.id}/stream`));
    await page.waitForFunction(() => (window as any).states.some((state: string) => state.startsWith('close:')), null, { timeout: 20_000 });
    // A browser sees a refused upgrade only as an error and an abnormal close (1006).
    expect(await page.evaluate(() => (window as any).states)).toEqual(['error', 'close:1006:']);
    expect(await page.evaluate(() => (window as any).received)).toEqual([]);
    expect(llm.requests.length).toBe(requests);
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history).toEqual([]);
    await page.close();
  });

  it("in goosed's own page (same origin): no allowed_origins needed", { timeout: 60_000 }, async (context) => {
    const fresh = await startScriptedServer(llm);
    try {
      const page = await browser.newPage();
      const response = await page.goto(`${fresh.url}/`);
      // The web interface is served only once `npm run build` has written dist/web.
      if (response?.status() !== 200) context.skip();
      const session = await createSession(fresh);
      llm.enqueue({ text: 'Same origin.' });
      const query = new URLSearchParams({ ws: wsUrl(fresh, `/api/sessions/${session.id}/stream`) }).toString();
      await page.evaluate(`(() => {${SEED_SNIPPET.replace('PARAMS', JSON.stringify(query))}})()`);
      const received = await receivedUntilComplete(page);
      expect(received.find((event) => event.type === 'message_complete').message.content).toBe('Same origin.');
      await page.close();
    } finally {
      await fresh.close();
    }
  });

  it('with a secret key: the page sends it as the first frame (a browser cannot set headers)', { timeout: 60_000 }, async () => {
    const session = await createSession(keyed);
    llm.enqueue({ text: 'Keyed and allowed.' });
    const socketUrl = wsUrl(keyed, `/api/sessions/${session.id}/stream`);
    const page = await openSeedPage(allowedPage.origin, socketUrl, 'browser-test-secret-key-42');
    const received = await receivedUntilComplete(page);
    expect(received.find((event) => event.type === 'message_complete').message.content).toBe('Keyed and allowed.');
    await page.close();

    const wrong = await openSeedPage(allowedPage.origin, socketUrl, 'not-the-key');
    await wrong.waitForFunction(() => (window as any).states.some((state: string) => state.startsWith('close:')), null, { timeout: 20_000 });
    expect(await wrong.evaluate(() => (window as any).states)).toEqual(['open', 'close:4401:invalid_key: the secret key is not valid']);
    expect(await wrong.evaluate(() => (window as any).received)).toEqual([]);
    await wrong.close();
  });
});
