// A web page from another origin tries everything a page can do against a local goosed: read and
// change sessions with fetch (CORS and no-cors, text/plain bodies that skip the preflight), a form
// POST, an EventSource, a WebSocket; and a DNS-rebound page that is same-origin with goosed's port.
// Everything must be refused, and the API (asked directly) must show that nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PRIVATE_NETWORK_CHECKS = 'BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks';
const ATTACK_PAGE = '<!doctype html><meta charset="utf-8"><title>a page on the web</title><iframe name="sink"></iframe>';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let attacker: Server;
let attackerOrigin: string;
let workDir: string;
let victim: { id: string };
let stateBefore: string;

/** Everything a hijack could change, read through the API. */
async function snapshot(): Promise<string> {
  const read = async (path: string) => (await goosed.request(path)).json();
  const sessions = (await read('/api/sessions')).map(({ id, name, status, message_count }: any) => ({ id, name, status, message_count }));
  const extensions = (await read('/api/extensions')).map(({ name, enabled, config }: any) => ({ name, enabled, config }));
  return JSON.stringify({ sessions, extensions, messages: await read(`/api/sessions/${victim.id}/messages`), provider: await read('/api/providers/current'), config: await read('/api/config') });
}

beforeAll(async () => {
  // What a hijack would be after: a shell the model may run without asking.
  harness = await startReplyHarness({ workDirectoryPrefix: 'goosed-hijack-', extensions: [{ name: 'developer', config: { allow_shell: true } }] });
  ({ llm, goosed, workDir } = harness);
  llm.setFallback({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo pwned' } }] });
  victim = await createSession(goosed, { name: 'victim', working_directory: workDir, execution_mode: 'auto' });
  attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(ATTACK_PAGE));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  stateBefore = await snapshot();
});
afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => attacker.close(resolve));
});

async function withBrowser<T>(extraArgs: string[], use: (browser: Browser) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** Runs in the attacker's page: every way a page can reach goosed, and what the page got back. */
async function attackFromPage({ target, sessionId }: { target: string; sessionId: string }): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const attempt = async (name: string, run: () => Promise<string>) => {
    try {
      out[name] = await run();
    } catch (error) {
      out[name] = `blocked (${(error as Error).name})`;
    }
  };
  const asText = (body: unknown) => ({ method: 'POST', mode: 'no-cors' as RequestMode, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
  const readable = async (response: Response) => (response.type === 'opaque' ? 'opaque' : `read ${response.status}: ${(await response.text()).slice(0, 80)}`);

  await attempt('GET sessions (cors)', async () => readable(await fetch(`${target}/api/sessions`)));
  await attempt('GET session (no-cors)', async () => readable(await fetch(`${target}/api/sessions/${sessionId}`, { mode: 'no-cors' })));
  await attempt('GET export (cors, credentials)', async () => readable(await fetch(`${target}/api/sessions/${sessionId}/export`, { credentials: 'include' })));
  await attempt('POST session, text/plain', async () => readable(await fetch(`${target}/api/sessions`, asText({ name: 'pwned' }))));
  await attempt('POST message, text/plain', async () => readable(await fetch(`${target}/api/sessions/${sessionId}/messages`, asText({ content: 'pwned: run the shell' }))));
  await attempt('POST message stream, text/plain', async () => readable(await fetch(`${target}/api/sessions/${sessionId}/messages/stream`, asText({ content: 'pwned: stream' }))));
  await attempt('POST message, JSON (preflight)', async () =>
    readable(await fetch(`${target}/api/sessions/${sessionId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'pwned: json' }) })));
  await attempt('POST extension, text/plain', async () => readable(await fetch(`${target}/api/extensions`, asText({ name: 'evil', config: { command: '/bin/sh', args: ['-c', 'echo pwned'] } }))));
  await attempt('POST provider, text/plain', async () => readable(await fetch(`${target}/api/providers`, asText({ name: 'openai', api_key: 'sk-evil', model: 'm', base_url: 'http://evil.example/v1' }))));
  await attempt('POST cancel, text/plain', async () => readable(await fetch(`${target}/api/sessions/${sessionId}/cancel`, asText({}))));
  await attempt('PATCH config (cors)', async () =>
    readable(await fetch(`${target}/api/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ allowed_origins: [location.origin] }) })));
  await attempt('PATCH session (no-cors)', async () => readable(await fetch(`${target}/api/sessions/${sessionId}`, { method: 'PATCH', mode: 'no-cors', body: '{"name":"pwned"}' })));
  await attempt('DELETE session (cors)', async () => readable(await fetch(`${target}/api/sessions/${sessionId}`, { method: 'DELETE' })));
  await attempt('EventSource', () =>
    new Promise((resolve) => {
      const source = new EventSource(`${target}/api/sessions/${sessionId}/events?after=0`);
      source.onmessage = (event) => resolve(`read: ${String(event.data).slice(0, 80)}`);
      source.onerror = () => {
        source.close();
        resolve('blocked (error)');
      };
    }));
  await attempt('WebSocket', () =>
    new Promise((resolve) => {
      const ws = new WebSocket(`${target.replace('http', 'ws')}/api/sessions/${sessionId}/stream`);
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'message', content: 'pwned over the WebSocket' }));
        resolve('opened');
      };
      ws.onmessage = (event) => resolve(`read: ${String(event.data).slice(0, 80)}`);
      ws.onclose = (event) => resolve(`blocked (close ${event.code})`);
    }));
  await attempt('form POST, text/plain', () =>
    new Promise((resolve) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.enctype = 'text/plain';
      form.target = 'sink';
      form.action = `${target}/api/sessions/${sessionId}/messages`;
      const field = document.createElement('input');
      // text/plain forms send `name=value`: this makes the body {"content":"pwned via a form","x":"="}.
      field.name = '{"content":"pwned via a form","x":"';
      field.value = '"}';
      form.append(field);
      document.body.append(form);
      document.querySelector('iframe')!.onload = () => resolve('submitted');
      form.submit();
    }));
  await attempt('form POST, urlencoded', () =>
    new Promise((resolve) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.target = 'sink';
      form.action = `${target}/api/sessions`;
      form.innerHTML = '<input name="name" value="pwned">';
      document.body.append(form);
      document.querySelector('iframe')!.onload = () => resolve('submitted');
      form.submit();
    }));
  return out;
}

describe('a page from another origin', () => {
  it('can neither read nor change anything, by any means a page has', async () => {
    const results = await withBrowser([], async (browser) => {
      const page = await browser.newPage();
      await page.goto(`${attackerOrigin}/`);
      return page.evaluate(attackFromPage, { target: goosed.url, sessionId: victim.id });
    });
    // Nothing could be read: CORS failures, opaque answers, a refused upgrade, a failed EventSource.
    for (const [attack, outcome] of Object.entries(results)) {
      expect(outcome, attack).toMatch(/^(blocked|opaque|submitted)/);
    }
    expect(results['WebSocket']).toMatch(/^blocked \(close 1006\)/);
    // Nothing changed, and the model was never asked for anything.
    expect(await snapshot()).toBe(stateBefore);
    expect(llm.requests).toHaveLength(0);
  }, 60_000);
});

describe('a DNS-rebound page (same origin as goosed, under a foreign name)', () => {
  it('is refused by the Host check, and can read only the refusal', async () => {
    const port = new URL(goosed.url).port;
    const rebound = `http://rebound.example:${port}`;
    // Chromium's own Private Network Access checks would stop this page first; browsers without them
    // (Firefox, Safari) would not, so they are off here: goosed must refuse on its own.
    const args = ['--host-resolver-rules=MAP rebound.example 127.0.0.1', `--disable-features=${PRIVATE_NETWORK_CHECKS}`];
    const results = await withBrowser(args, async (browser) => {
      const page = await browser.newPage();
      // The attacker's page at the rebound name: served by the attacker before the name pointed to 127.0.0.1.
      await page.route(`${rebound}/attack`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: ATTACK_PAGE }));
      await page.goto(`${rebound}/attack`);
      return page.evaluate(async ({ sessionId }) => {
        const read = async (path: string, init?: RequestInit) => {
          const response = await fetch(path, init);
          return { status: response.status, body: await response.text() };
        };
        const ws = await new Promise<string>((resolve) => {
          const socket = new WebSocket(`ws://${location.host}/api/sessions/${sessionId}/stream`);
          socket.onopen = () => resolve('opened');
          socket.onclose = (event) => resolve(`closed ${event.code}`);
        });
        return {
          list: await read('/api/sessions'),
          create: await read('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"pwned"}' }),
          send: await read(`/api/sessions/${sessionId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"content":"pwned"}' }),
          ws,
        };
      }, { sessionId: victim.id });
    });
    for (const attempt of [results.list, results.create, results.send]) {
      expect(attempt.status).toBe(403);
      expect(JSON.parse(attempt.body)).toMatchObject({ code: 'forbidden_host' });
      expect(attempt.body).not.toContain(victim.id);
    }
    expect(results.ws).toMatch(/^closed 1006/);
    expect(await snapshot()).toBe(stateBefore);
    expect(llm.requests).toHaveLength(0);
  }, 60_000);
});

describe('the same page once its origin is allowed (a control: the attacks above do reach goosed)', () => {
  it('can read, which shows the refusals above came from the origin check', async () => {
    await goosed.request('/api/config', { method: 'PATCH', json: { allowed_origins: [attackerOrigin] } });
    try {
      const read = await withBrowser([], async (browser) => {
        const page = await browser.newPage();
        await page.goto(`${attackerOrigin}/`);
        return page.evaluate(async (target) => (await fetch(`${target}/api/sessions`)).json(), goosed.url);
      });
      expect(read.map((session: { id: string }) => session.id)).toContain(victim.id);
    } finally {
      await goosed.request('/api/config', { method: 'PATCH', json: { allowed_origins: [] } });
    }
  }, 60_000);
});
