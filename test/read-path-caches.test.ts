import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { isReplyEnd, readSse } from './support/sse-client.js';

// The read paths keep work between requests (the session list is cached until a session changes;
// the X-Request-Id is set before the response exists). These tests prove a client never sees the
// difference: every change shows in the very next list, and every kind of response has its id.

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
const friend = 'http://app.example';

beforeAll(async () => {
  harness = await startReplyHarness({ settings: { allowed_origins: [friend] } });
  ({ llm, goosed } = harness);
});
afterAll(() => harness?.close());

type Listed = { id: string; name: string; status: string; message_count: number; usage: { total_tokens: number }; persisted: boolean };
const list = async (query = ''): Promise<Listed[]> => {
  const response = await goosed.request(`/api/sessions${query}`);
  expect(response.status).toBe(200);
  return response.json();
};
const find = async (id: string) => (await list()).find((session) => session.id === id);

describe('the session list after each kind of change', () => {
  it('shows a new session, a rename and a deletion in the next request', async () => {
    await list(); // cached from here
    const session = await createSession(goosed, { name: 'fresh' });
    expect((await list())[0]).toMatchObject({ id: session.id, name: 'fresh' });

    const older = await createSession(goosed, { name: 'older' });
    await list();
    const renamed = await goosed.request(`/api/sessions/${session.id}`, { method: 'PATCH', json: { name: 'renamed' } });
    expect(renamed.status).toBe(200);
    const afterRename = await list();
    expect(afterRename[0]).toMatchObject({ id: session.id, name: 'renamed' }); // touched: first again
    expect(afterRename[1].id).toBe(older.id);

    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await find(session.id)).toBeUndefined();
  });

  it('shows a reply running, then its messages and usage once it ended', async () => {
    const session = await createSession(goosed);
    await list();
    llm.enqueue({ text: ['slow ', 'reply ', 'here'], chunkDelayMs: 150, usage: { input: 7, output: 3 } });
    const reply = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } });
    expect(reply.status).toBe(200);
    await waitFor(() => find(session.id), (listed) => listed?.status === 'running');
    await readSse(reply, isReplyEnd);
    const done = await waitFor(() => find(session.id), (listed) => listed?.status === 'idle');
    expect(done).toMatchObject({ message_count: 2, usage: { total_tokens: 10 } });
  });

  it('keeps separate pages and searches apart, and fresh', async () => {
    for (const name of ['page alpha', 'page beta', 'page gamma']) await createSession(goosed, { name });
    const first = await goosed.request('/api/sessions?limit=2');
    const second = await goosed.request(`/api/sessions?limit=2&cursor=${first.headers.get('x-next-cursor')}`);
    const firstIds = (await first.json()).map((s: Listed) => s.id);
    const secondIds = (await second.json()).map((s: Listed) => s.id);
    expect(firstIds).toHaveLength(2);
    expect(secondIds.some((id: string) => firstIds.includes(id))).toBe(false);
    expect((await list('?q=beta')).map((s) => s.name)).toEqual(['page beta']);
    await createSession(goosed, { name: 'page beta two' });
    expect((await list('?q=beta')).map((s) => s.name)).toEqual(['page beta two', 'page beta']);
  });

  it('shows sessions that live in memory (auto_save off) as soon as they exist', async () => {
    await list();
    expect((await goosed.request('/api/config', { method: 'PATCH', json: { auto_save: false } })).status).toBe(200);
    try {
      const session = await createSession(goosed, { name: 'in memory' });
      expect(await find(session.id)).toMatchObject({ name: 'in memory', persisted: false });
    } finally {
      await goosed.request('/api/config', { method: 'PATCH', json: { auto_save: true } });
    }
  });
});

describe('the request id on every kind of response', () => {
  const sane = /^[0-9a-f-]{36}$/;

  it('is on JSON answers, cached list answers, errors and 404s', async () => {
    await list();
    for (const path of ['/api/sessions', '/api/sessions', '/api/status', '/api/sessions/nope', '/api/nothing-here']) {
      expect((await goosed.request(path)).headers.get('x-request-id'), path).toMatch(sane);
    }
    const echoed = await goosed.request('/api/sessions', { headers: { 'x-request-id': 'trace-77' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-77');
  });

  it('is on a CORS preflight answered without the route (a Response made by hand)', async () => {
    const preflight = await goosed.request('/api/sessions', { method: 'OPTIONS', headers: { origin: friend, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(friend);
    expect(preflight.headers.get('x-request-id')).toMatch(sane);
  });

  it('is on event streams', async () => {
    const session = await createSession(goosed);
    const controller = new AbortController();
    const events = await goosed.request(`/api/sessions/${session.id}/events`, { signal: controller.signal });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    expect(events.headers.get('x-request-id')).toMatch(sane);
    controller.abort();
  });
});
