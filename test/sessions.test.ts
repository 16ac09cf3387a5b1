import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { startTestServer, temporaryDirectory, type TestServer } from './support/goosed.js';
import { onPostgres } from './support/postgres.js';

let goosed: TestServer;
const workDir = realpathSync(temporaryDirectory('goosed-work-'));

beforeAll(async () => {
  goosed = await startTestServer();
});
afterAll(async () => {
  await goosed.close();
});

describe('sessions, as the seed shows them', () => {
  it('creates a session with POST /api/sessions and answers 201 with it', async () => {
    const response = await goosed.request('/api/sessions', { method: 'POST', json: { name: 'My Project', working_directory: workDir } });
    expect(response.status).toBe(201);
    const session = await response.json();
    expect(session).toMatchObject({ name: 'My Project', working_directory: workDir, messages: [], status: 'idle', persisted: true });
    expect(session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(session.created_at).toISOString()).toBe(session.created_at);
    expect(session.usage).toEqual({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
  });

  it('lists sessions as a JSON array', async () => {
    const response = await goosed.request('/api/sessions');
    expect(response.status).toBe(200);
    const sessions = await response.json();
    expect(Array.isArray(sessions)).toBe(true);
    expect(sessions.some((s: { name: string }) => s.name === 'My Project')).toBe(true);
  });

  it('gets one session with its messages, and deletes it', async () => {
    const created = await (await goosed.request('/api/sessions', { method: 'POST', json: { name: 'to delete', working_directory: workDir } })).json();
    const fetched = await goosed.request(`/api/sessions/${created.id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ id: created.id, name: 'to delete', messages: [] });

    const history = await goosed.request(`/api/sessions/${created.id}/messages`);
    expect(history.status).toBe(200);
    expect(await history.json()).toEqual([]);

    const deleted = await goosed.request(`/api/sessions/${created.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const gone = await goosed.request(`/api/sessions/${created.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 'not_found' });
    expect((await goosed.request(`/api/sessions/${created.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it("defaults working_directory to the user's home (default_working_directory) and name to a placeholder", async () => {
    const response = await goosed.request('/api/sessions', { method: 'POST', json: {} });
    expect(response.status).toBe(201);
    const session = await response.json();
    expect(session.working_directory).toBe(realpathSync(homedir()));
    expect(session.name).toBe('New session');
  });

  it('refuses a working_directory that does not exist or is a file', async () => {
    const missing = await goosed.request('/api/sessions', { method: 'POST', json: { name: 'x', working_directory: '/no/such/dir' } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'invalid_working_directory' });
    const file = await goosed.request('/api/sessions', { method: 'POST', json: { name: 'x', working_directory: '/etc/hostname' } });
    expect(file.status).toBe(400);
  });
});

describe('changing sessions', () => {
  it('renames a session and changes its execution mode with PATCH', async () => {
    const created = await (await goosed.request('/api/sessions', { method: 'POST', json: { name: 'before', working_directory: workDir } })).json();
    const response = await goosed.request(`/api/sessions/${created.id}`, { method: 'PATCH', json: { name: 'after', execution_mode: 'approve' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: created.id, name: 'after', execution_mode: 'approve' });
    expect(await (await goosed.request(`/api/sessions/${created.id}`)).json()).toMatchObject({ name: 'after', execution_mode: 'approve' });
  });

  it('refuses unknown fields, bad modes and unknown sessions', async () => {
    const created = await (await goosed.request('/api/sessions', { method: 'POST', json: { working_directory: workDir } })).json();
    const unknown = await goosed.request(`/api/sessions/${created.id}`, { method: 'PATCH', json: { colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toContain('colour');
    const badMode = await goosed.request(`/api/sessions/${created.id}`, { method: 'PATCH', json: { execution_mode: 'yolo' } });
    expect(badMode.status).toBe(400);
    const missing = await goosed.request('/api/sessions/does-not-exist', { method: 'PATCH', json: { name: 'x' } });
    expect(missing.status).toBe(404);
  });
});

describe('paging and search', () => {
  it('pages through sessions with limit and the X-Next-Cursor / Link headers, without repeats', async () => {
    const own = await startTestServer();
    try {
      for (let i = 0; i < 7; i++) {
        await own.request('/api/sessions', { method: 'POST', json: { name: `paged ${i}`, working_directory: workDir } });
      }
      const seen: string[] = [];
      let path: string | null = '/api/sessions?limit=3';
      let pages = 0;
      while (path) {
        const response: Response = await own.request(path);
        expect(response.status).toBe(200);
        const page: { name: string }[] = await response.json();
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...page.map((s) => s.name));
        const link = response.headers.get('link');
        if (link) {
          expect(response.headers.get('x-next-cursor')).toBeTruthy();
          path = /<([^>]+)>; rel="next"/.exec(link)![1];
        } else {
          path = null;
        }
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      // Most recently updated first.
      expect(seen[0]).toBe('paged 6');
    } finally {
      await own.close();
    }
  });

  it('searches names and working directories with q, case-insensitively', async () => {
    await goosed.request('/api/sessions', { method: 'POST', json: { name: 'Quarterly REPORT draft', working_directory: workDir } });
    const found = await (await goosed.request('/api/sessions?q=report')).json();
    expect(found.map((s: { name: string }) => s.name)).toEqual(['Quarterly REPORT draft']);
    const byDirectory = await (await goosed.request(`/api/sessions?q=${encodeURIComponent(workDir.slice(-8))}`)).json();
    expect(byDirectory.length).toBeGreaterThan(1);
    const none = await (await goosed.request('/api/sessions?q=%25%25no_such%25')).json();
    expect(none).toEqual([]);
  });

  it('refuses a bad limit or a forged cursor', async () => {
    expect((await goosed.request('/api/sessions?limit=0')).status).toBe(400);
    expect((await goosed.request('/api/sessions?limit=abc')).status).toBe(400);
    const forged = await goosed.request('/api/sessions?cursor=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('auto_save off', () => {
  // PostgreSQL saves every session all the same (one kept in one instance's memory would be missing
  // on the others), and says so in `persisted`.
  const inMemory = !onPostgres;

  it('keeps new sessions in memory only (on SQLite), listed next to saved ones, gone after a restart', async () => {
    const dataDir = temporaryDirectory();
    const first = await startTestServer({ dataDir });
    const saved = await (await first.request('/api/sessions', { method: 'POST', json: { name: 'saved', working_directory: workDir } })).json();
    await first.request('/api/config', { method: 'PATCH', json: { auto_save: false } });
    const ephemeral = await (await first.request('/api/sessions', { method: 'POST', json: { name: 'ephemeral', working_directory: workDir } })).json();
    expect(ephemeral.persisted).toBe(!inMemory);
    const names = (await (await first.request('/api/sessions')).json()).map((s: { name: string }) => s.name);
    expect(names).toEqual(['ephemeral', 'saved']);
    expect((await first.request(`/api/sessions/${ephemeral.id}`)).status).toBe(200);
    await first.close();

    const second = await startTestServer({ dataDir });
    try {
      expect((await second.request(`/api/sessions/${saved.id}`)).status).toBe(200);
      expect((await second.request(`/api/sessions/${ephemeral.id}`)).status).toBe(inMemory ? 404 : 200);
    } finally {
      await second.close();
    }
  });
});

describe('persistence', () => {
  it('keeps sessions across a restart', async () => {
    const dataDir = temporaryDirectory();
    const first = await startTestServer({ dataDir });
    const created = await (await first.request('/api/sessions', { method: 'POST', json: { name: 'durable', working_directory: workDir } })).json();
    await first.close();
    const second = await startTestServer({ dataDir });
    try {
      const again = await second.request(`/api/sessions/${created.id}`);
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ id: created.id, name: 'durable', working_directory: workDir, created_at: created.created_at });
    } finally {
      await second.close();
    }
  });
});

describe('export and import', () => {
  const exported = () => ({
    format: 'goosed.session',
    version: 1,
    exported_at: '2026-11-25T10:00:00.000Z',
    session: { name: 'Carried over', working_directory: workDir, execution_mode: 'approve', created_at: '2026-11-20T10:00:00.000Z' },
    messages: [
      { role: 'user', content: 'hello', parts: [{ type: 'text', text: 'hello' }], status: 'complete', created_at: '2026-11-20T10:00:01.000Z', usage: null, error: null },
      {
        role: 'assistant',
        content: 'Listing.',
        parts: [
          { type: 'text', text: 'Listing.' },
          { type: 'tool_call', id: 'call_1', tool: 'developer__shell', arguments: { command: 'ls' }, status: 'done', result: { content: 'a.txt', is_error: false } },
        ],
        status: 'running',
        created_at: '2026-11-20T10:00:02.000Z',
        usage: { input_tokens: 10, output_tokens: 4, total_tokens: 14 },
        error: null,
      },
    ],
  });

  it('imports an export as a new session with new ids, and exports it back the same', async () => {
    const response = await goosed.request('/api/sessions/import', { method: 'POST', json: exported() });
    expect(response.status).toBe(201);
    const session = await response.json();
    expect(session).toMatchObject({ name: 'Carried over', working_directory: workDir, execution_mode: 'approve', message_count: 2 });
    expect(session.usage).toEqual({ input_tokens: 10, output_tokens: 4, total_tokens: 14 });
    expect(session.messages[1]).toMatchObject({ status: 'interrupted', reply_to: session.messages[0].id, content: 'Listing.' });

    const back = await goosed.request(`/api/sessions/${session.id}/export`);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-disposition')).toContain('attachment');
    const again = await back.json();
    expect(again.messages.map((m: { parts: unknown }) => m.parts)).toEqual(exported().messages.map((m) => m.parts));
    expect(again.session.name).toBe('Carried over');
  });

  it('refuses an export of another format or with a missing working directory', async () => {
    const wrong = await goosed.request('/api/sessions/import', { method: 'POST', json: { ...exported(), format: 'other' } });
    expect(wrong.status).toBe(400);
    const elsewhere = exported();
    elsewhere.session.working_directory = '/no/such/place';
    const missing = await goosed.request('/api/sessions/import', { method: 'POST', json: elsewhere });
    expect(missing.status).toBe(400);
    expect((await missing.json()).code).toBe('invalid_working_directory');
    const overridden = await goosed.request('/api/sessions/import', { method: 'POST', json: { ...elsewhere, working_directory: workDir } });
    expect(overridden.status).toBe(201);
    expect((await goosed.request('/api/sessions/nope/export')).status).toBe(404);
  });
});
