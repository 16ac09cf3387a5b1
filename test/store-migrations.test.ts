import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Message } from '../src/api/messages.js';
import { migrations } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { startTestServer, temporaryDirectory, useScriptedProvider } from './support/goosed.js';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm.close();
});

const CREATED = '2026-03-01T10:00:00.000Z';
const long = (chars: number) => 'the agent read the file and ran the tests; '.repeat(Math.ceil(chars / 43)).slice(0, chars);
const tricky = 'naïve — 日本語 🦆 "quoted" back\\slash\nnew line\ttab \u0001 \u007f \u2028 </script>';

function message(sessionId: string, index: number, fields: Partial<Message> & Pick<Message, 'role' | 'content'>): Message {
  return {
    id: `${sessionId}-m${index}`,
    session_id: sessionId,
    role: fields.role,
    content: fields.content,
    parts: fields.parts ?? [{ type: 'text', text: fields.content }],
    status: fields.status ?? 'complete',
    created_at: new Date(Date.parse(CREATED) + index * 1000).toISOString(),
    usage: fields.usage ?? null,
    error: fields.error ?? null,
    reply_to: fields.reply_to ?? null,
    // Older databases did not record who wrote a reply: after the migration, null.
    provider: null,
    model: null,
  };
}

// Rows of every kind a version-1 database holds: long ones (over a page of a WITHOUT ROWID leaf),
// tool calls with their results, usage, errors, odd characters.
const alpha: Message[] = [
  message('alpha', 1, { role: 'user', content: 'Create a Python script' }),
  message('alpha', 2, {
    role: 'assistant',
    content: long(3000),
    parts: [
      { type: 'text', text: long(3000) },
      { type: 'tool_call', id: 'call_1', tool: 'developer__shell', arguments: { command: 'ls -la', nested: { n: [1, 2.5, -0.25, 1e21] } }, status: 'done', result: { content: long(1500), is_error: false } },
    ],
    usage: { input_tokens: 900, output_tokens: 150, total_tokens: 1050 },
    reply_to: 'alpha-m1',
  }),
  message('alpha', 3, { role: 'user', content: tricky }),
  message('alpha', 4, { role: 'assistant', content: 'partial', status: 'error', error: { error: 'The provider failed.', code: 'provider_error' }, reply_to: 'alpha-m3' }),
  message('alpha', 5, { role: 'user', content: 'again' }),
  message('alpha', 6, { role: 'assistant', content: '', parts: [], status: 'cancelled', reply_to: 'alpha-m5' }),
];
const beta: Message[] = [
  message('beta', 1, { role: 'user', content: 'hello' }),
  message('beta', 2, { role: 'assistant', content: long(1200), reply_to: 'beta-m1' }),
  message('beta', 3, { role: 'user', content: 'bye' }),
];

/** A data directory whose database was made by migration 1 alone, filled through plain SQL. */
function versionOneDataDir(): { dataDir: string; file: string } {
  const dataDir = join(temporaryDirectory(), 'data');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'goosed.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(migrations[0]);
  db.pragma('user_version = 1');
  const insertSession = db.prepare(
    `INSERT INTO sessions (id, name, working_directory, created_at, updated_at, message_count, input_tokens, output_tokens)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insertSession.run('alpha', 'Alpha', '/tmp', CREATED, CREATED, alpha.length, 900, 150);
  insertSession.run('beta', 'Beta', '/tmp', CREATED, CREATED, beta.length, 0, 0);
  const insertMessage = db.prepare(
    `INSERT INTO messages (session_id, position, id, client_id, role, content, parts, status, created_at, usage, error, reply_to)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insert = (m: Message, position: number) =>
    insertMessage.run(
      m.session_id, position, m.id, m.role === 'user' ? `client-${m.id}` : null, m.role, m.content, JSON.stringify(m.parts), m.status,
      m.created_at, m.usage ? JSON.stringify(m.usage) : null, m.error ? JSON.stringify(m.error) : null, m.reply_to,
    );
  // Written out of order and interleaved: the order read back must come from the positions.
  for (const index of [3, 0, 5, 1, 4, 2]) {
    insert(alpha[index], index + 1);
    if (beta[index]) insert(beta[index], index + 1);
  }
  // Extensions were all server-wide then (migration 5 keeps them so).
  db.prepare('INSERT INTO extensions (id, name, type, config, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    'ext-1', 'developer', 'builtin', '{"allow_shell":true}', 1, CREATED,
  );
  // Durable events, written out of order (migration 7 makes `events` a rowid table).
  const insertEvent = db.prepare('INSERT INTO events (session_id, seq, body) VALUES (?, ?, ?)');
  for (const seq of [3, 1, 2]) insertEvent.run('alpha', seq, JSON.stringify({ seq, session_id: 'alpha', type: 'user_message' }));
  db.prepare("UPDATE sessions SET seq_reserved = 1000 WHERE id = 'alpha'").run();
  // A message and an event whose session was deleted with foreign keys off (the sqlite3 shell's default).
  db.pragma('foreign_keys = OFF');
  insert(message('gone', 1, { role: 'user', content: 'orphan' }), 1);
  insertEvent.run('gone', 1, '{}');
  db.close();
  return { dataDir, file };
}

async function allPages(request: (path: string) => Promise<Response>, path: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let next: string | null = `${path}?limit=2`; next; ) {
    const response = await request(next);
    expect(response.status).toBe(200);
    messages.push(...((await response.json()) as Message[]));
    const link = response.headers.get('link');
    next = link ? /<([^>]+)>; rel="next"/.exec(link)![1] : null;
  }
  return messages;
}

describe('a database made by an older goosed (schema version 1)', () => {
  it('is migrated on start: every message intact and in order, writes and deletes work, the file is sound', async () => {
    const { dataDir, file } = versionOneDataDir();
    const goosed = await startTestServer({ dataDir });
    try {
      const session = await (await goosed.request('/api/sessions/alpha')).json();
      expect(session).toMatchObject({ id: 'alpha', name: 'Alpha', message_count: alpha.length, provider: null, model: null });
      expect(session.messages).toEqual(alpha);
      expect(await allPages(goosed.request, '/api/sessions/alpha/messages')).toEqual(alpha);
      expect((await (await goosed.request('/api/sessions/beta')).json()).messages).toEqual(beta);

      // New messages go after the migrated ones; a retried request finds its reply (by client id, then reply_to).
      await useScriptedProvider(goosed, llm.url);
      llm.enqueue({ text: 'a new answer' });
      const send = () => goosed.request('/api/sessions/alpha/messages', { method: 'POST', json: { content: 'one more', id: 'retry-1' } });
      const reply = await (await send()).json();
      expect(reply).toMatchObject({ role: 'assistant', content: 'a new answer', status: 'complete' });
      expect(await (await send()).json()).toEqual(reply);
      const after = await (await goosed.request('/api/sessions/alpha')).json();
      expect(after.messages.slice(0, alpha.length)).toEqual(alpha);
      expect(after.messages.slice(alpha.length).map((m: Message) => [m.role, m.content, m.provider, m.model])).toEqual([
        ['user', 'one more', null, null],
        ['assistant', 'a new answer', 'openai', 'scripted-model'],
      ]);

      expect((await goosed.request('/api/sessions/beta', { method: 'DELETE' })).status).toBe(204);
      expect(await (await goosed.request('/api/extensions')).json()).toEqual([
        expect.objectContaining({ id: 'ext-1', name: 'developer', config: { allow_shell: true }, enabled: true, session_id: null }),
      ]);
    } finally {
      await goosed.close();
    }

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // The old table's pages went back to the disk (VACUUM after the migration).
      expect(db.pragma('freelist_count', { simple: true })).toBe(0);
      const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").pluck().get() as string;
      expect(table).not.toMatch(/WITHOUT ROWID/i);
      const counts = Object.fromEntries(
        (db.prepare('SELECT session_id, COUNT(*) AS n FROM messages GROUP BY session_id').all() as { session_id: string; n: number }[]).map((r) => [r.session_id, r.n]),
      );
      // beta's messages went with it (the cascade holds on the new table); the orphan stayed behind.
      expect(counts).toEqual({ alpha: alpha.length + 2 });
      const events = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'events'").pluck().get() as string;
      expect(events).not.toMatch(/WITHOUT ROWID/i);
      // alpha's events in order, then those of the new reply; the orphan's stayed behind.
      const seqs = db.prepare('SELECT session_id, seq FROM events ORDER BY session_id, seq').all() as { session_id: string; seq: number }[];
      expect(seqs.filter((row) => row.session_id !== 'alpha')).toEqual([]);
      expect(seqs.slice(0, 3).map((row) => row.seq)).toEqual([1, 2, 3]);
      expect(seqs.length).toBeGreaterThan(3);
      // One event per seq, as the primary key had it.
      expect(() => new Database(file).prepare('INSERT INTO events (session_id, seq, body) VALUES (?, ?, ?)').run('alpha', 1, '{}')).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });

  it('serves every query the store runs on messages from an index, never a scan of the table', () => {
    const { file } = versionOneDataDir();
    const store = new SqliteStore(file);
    const db = new Database(file, { readonly: true });
    try {
      // Every statement the store prepared, so that a query added later is checked too.
      const statements = Object.values((store as unknown as { statements: Record<string, Database.Statement> }).statements);
      // (An INSERT reads nothing: it has no plan.)
      const onMessages = statements.map((statement) => statement.source).filter((sql) => /\bmessages\b/.test(sql) && !/^\s*INSERT/i.test(sql));
      expect(onMessages.length).toBeGreaterThanOrEqual(7);
      for (const sql of onMessages) {
        const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name, null]));
        const positional = Array<null>((sql.match(/\?/g) ?? []).length).fill(null);
        const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
        const plan = (Object.keys(named).length > 0 ? explain.all(named) : explain.all(...positional)) as { detail: string }[];
        const steps = plan.map((step) => step.detail);
        expect(steps.some((step) => /^SEARCH messages USING (COVERING )?INDEX/.test(step)), `${sql}\n${steps.join('\n')}`).toBe(true);
        // The one sort allowed is of a running reply's appended text (a few rows, found by index).
        expect(steps.filter((step) => /^SCAN (messages|message_appends)\b|TEMP B-TREE(?! FOR group_concat\(ORDER BY\))/.test(step)), sql).toEqual([]);
        if (/\bmessage_appends\b/.test(sql)) expect(steps.some((step) => /^SEARCH message_appends USING INDEX/.test(step)), steps.join('\n')).toBe(true);
      }
      // A session's events, in order, from their index (migration 7).
      const onEvents = statements.map((statement) => statement.source).filter((sql) => /^\s*SELECT .* FROM events\b/i.test(sql));
      expect(onEvents.length).toBeGreaterThanOrEqual(1);
      for (const sql of onEvents) {
        const steps = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array<null>((sql.match(/\?/g) ?? []).length).fill(null)) as { detail: string }[]).map((step) => step.detail);
        expect(steps, sql).toEqual([expect.stringMatching(/^SEARCH events USING INDEX events_in_order/)]);
      }
    } finally {
      db.close();
      store.close();
    }
  });
});
