// With a secret key set, every operation of the OpenAPI document (and any path at all) refuses a
// request without the key, or with a wrong one, before doing anything; only /api/status and the
// pages that hold no data answer. The WebSocket takes the key as a header or as its first frame.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSession, startTestServer, type TestServer } from './support/goosed.js';

const KEY = 'key-required-test-secret-0123456789abcdef';
const PUBLIC = new Set(['GET /api/status']);
/** Pages without data: they load without the key and ask for it before fetching anything. */
const DATA_FREE_PAGES = ['/api/docs', '/', '/favicon.svg'];

let goosed: TestServer;
let session: { id: string; name?: unknown };
let operations: { method: string; path: string; webSocket: boolean }[];

beforeAll(async () => {
  goosed = await startTestServer({ secretKey: KEY });
  session = await createSession(goosed, { name: 'private session name' });
  const document = await (await goosed.request('/api/openapi.json')).json();
  operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, webSocket: Boolean(operation['x-websocket']) })),
  );
});
afterAll(async () => {
  await goosed.close();
});

const concrete = (path: string) => path.replace('{id}', session.id).replace('{approval_id}', 'some-approval').replace('{name}', 'openai');
const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ name: 'x', content: 'x', decision: 'deny' }));

describe('with a secret key', () => {
  it('refuses every operation in the OpenAPI document without the key, or with a wrong one', async () => {
    expect(operations.length).toBeGreaterThan(15);
    for (const { method, path } of operations) {
      const label = `${method} ${path}`;
      const target = `${goosed.url}${concrete(path)}`;
      const init = { method, body: bodyFor(method), headers: { 'content-type': 'application/json' } };
      const without = await fetch(target, init);
      if (PUBLIC.has(label)) {
        expect(without.status, label).toBe(200);
        continue;
      }
      expect(without.status, label).toBe(401);
      expect(await without.json(), label).toMatchObject({ code: 'unauthorized' });
      const wrongKeys: Record<string, string>[] = [{ authorization: `Bearer ${KEY}x` }, { 'x-secret-key': KEY.slice(0, -1) }, { authorization: KEY }];
      for (const header of wrongKeys) {
        const wrong = await fetch(target, { ...init, headers: { ...init.headers, ...header } });
        expect(wrong.status, `${label} with ${JSON.stringify(header)}`).toBe(401);
      }
    }
    // Nothing was done: the one session is as it was, with no messages.
    const sessions = await (await goosed.request('/api/sessions')).json();
    expect(sessions.map((s: { id: string; message_count: number }) => [s.id, s.message_count])).toEqual([[session.id, 0]]);
  });

  it('refuses paths that exist nowhere too, so that routes cannot be probed', async () => {
    for (const path of ['/api/nope', '/api/sessions/x/nope', '/nope', '/api/../api/sessions', '/API/SESSIONS']) {
      expect((await fetch(`${goosed.url}${path}`)).status, path).toBe(401);
    }
  });

  it('serves the pages that hold no data without the key, and no session data in them', async () => {
    for (const path of DATA_FREE_PAGES) {
      const response = await fetch(`${goosed.url}${path}`);
      // The web interface is only there once built (dist/web); the key rule is what matters here.
      expect([200, 404], path).toContain(response.status);
      const text = await response.text();
      expect(text, path).not.toContain(session.id);
      expect(text, path).not.toContain('private session name');
    }
  });

  it('closes a WebSocket whose first frame is not the key, before it can send anything', async () => {
    const url = `${goosed.url.replace('http', 'ws')}/api/sessions/${session.id}/stream`;
    const close = (ws: WebSocket) => new Promise<{ code: number; events: string[] }>((resolve) => {
      const events: string[] = [];
      ws.on('message', (data) => events.push(String(data)));
      ws.on('close', (code) => resolve({ code, events }));
      ws.on('error', () => {});
    });

    const noKey = new WebSocket(url);
    const noKeyClosed = close(noKey);
    noKey.on('open', () => noKey.send(JSON.stringify({ type: 'message', content: 'without the key' })));
    expect(await noKeyClosed).toEqual({ code: 4401, events: [] });

    const wrongFrame = new WebSocket(url);
    const wrongFrameClosed = close(wrongFrame);
    wrongFrame.on('open', () => wrongFrame.send(JSON.stringify({ type: 'auth', key: 'wrong' })));
    expect(await wrongFrameClosed).toEqual({ code: 4401, events: [] });

    const wrongHeader = new WebSocket(url, { headers: { authorization: 'Bearer wrong' } });
    const refused = await new Promise<number>((resolve) => {
      wrongHeader.on('unexpected-response', (_request, response) => resolve(response.statusCode!));
      wrongHeader.on('open', () => resolve(101));
      wrongHeader.on('error', () => {});
    });
    expect(refused).toBe(401);
    expect((await (await goosed.request(`/api/sessions/${session.id}/messages`)).json())).toEqual([]);
  });

  it('takes the Bearer scheme in any case (RFC 7235), over HTTP and at the WebSocket upgrade', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const response = await fetch(`${goosed.url}/api/sessions`, { headers: { authorization: `${scheme} ${KEY}` } });
      expect(response.status, scheme).toBe(200);
      const wrong = await fetch(`${goosed.url}/api/sessions`, { headers: { authorization: `${scheme} not-the-key` } });
      expect(wrong.status, scheme).toBe(401);
    }
    const ws = new WebSocket(`${goosed.url.replace('http', 'ws')}/api/sessions/${session.id}/stream`, { headers: { authorization: `bearer ${KEY}` } });
    const opened = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_request, response) => resolve(response.statusCode!));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    ws.close();
    expect(opened).toBe(101);
  });
});
