import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { spawnGoosed, temporaryDirectory, waitFor, type GoosedProcess } from './support/goosed.js';
import { readSse } from './support/sse-client.js';
import { databaseForDataDir, onPostgres, storeFlags } from './support/postgres.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm.close();
});

const json = (url: string, init: RequestInit & { body?: string } = {}) =>
  fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

async function stop(goosed: GoosedProcess): Promise<void> {
  goosed.child.kill('SIGTERM');
  await goosed.exited;
}

/** A goosed process on a fresh data directory that uses the scripted LLM, with one session; `args` restart it on the same data. */
async function startWithSession(name: string): Promise<{ dir: string; args: string[]; goosed: GoosedProcess; session: { id: string } }> {
  const dir = temporaryDirectory();
  const args = ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml'), ...(await storeFlags(join(dir, 'data')))];
  const goosed = await spawnGoosed(args);
  await json(`${goosed.url}/api/providers`, { method: 'POST', body: JSON.stringify({ name: 'openai', api_key: `sk-${name}`, model: 'm', base_url: `${llm.url}/v1` }) });
  const session = await (await json(`${goosed.url}/api/sessions`, { method: 'POST', body: JSON.stringify({ name }) })).json();
  return { dir, args, goosed, session };
}

/** The types of a session's durable events, read from the database past goosed; on SQLite, the file also passes its integrity check. */
async function storedEventTypes(dataDir: string, sessionId: string): Promise<string[]> {
  if (onPostgres) {
    const store = await PostgresStore.open({ url: await databaseForDataDir(dataDir) });
    try {
      return (await store.listEvents(sessionId, 0, 10_000)).map((event) => event.type);
    } finally {
      await store.close();
    }
  }
  const db = new Database(join(dataDir, 'goosed.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return (db.prepare('SELECT body FROM events WHERE session_id = ? ORDER BY seq').pluck().all(sessionId) as string[]).map((body) => JSON.parse(body).type);
  } finally {
    db.close();
  }
}

describe('a crash (SIGKILL) in the middle of a reply', () => {
  it('keeps what was acknowledged, marks the reply interrupted, and the session goes on', async () => {
    const { dir, args, goosed: first, session } = await startWithSession('crash');

    llm.enqueue({ text: Array.from({ length: 200 }, (_, i) => `word${i} `), chunkDelayMs: 20 });
    const streaming = await json(`${first.url}/api/sessions/${session.id}/messages/stream`, { method: 'POST', body: JSON.stringify({ content: 'write a lot' }) });
    const seen = await readSse(streaming, (_f, frames) => frames.length >= 30);
    const lastSeq = Number(seen.at(-1)!.id);
    // Wait until some text has been flushed to the store (it is written every 100 ms).
    const saved = await waitFor(
      async () => (await (await fetch(`${first.url}/api/sessions/${session.id}/messages`)).json())[1]?.content as string,
      (content) => (content ?? '').length > 20,
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnGoosed(args);
    try {
      const after = await (await fetch(`${second.url}/api/sessions/${session.id}`)).json();
      expect(after.status).toBe('idle');
      expect(after.messages).toHaveLength(2);
      expect(after.messages[0]).toMatchObject({ role: 'user', content: 'write a lot', status: 'complete' });
      const reply = after.messages[1];
      expect(reply.status).toBe('interrupted');
      expect(reply.error).toMatchObject({ code: 'interrupted' });
      expect(reply.content.startsWith(saved)).toBe(true);
      // What was saved is the stream's beginning, each word once and in order (saved as appended pieces).
      const words = (reply.content as string).split(' ').length - 1;
      expect(reply.content).toBe(Array.from({ length: words }, (_, i) => `word${i} `).join(''));
      expect(reply.parts).toEqual([{ type: 'text', text: reply.content }]);

      const rejoin = await readSse(await fetch(`${second.url}/api/sessions/${session.id}/events`, { headers: { 'last-event-id': String(lastSeq) } }), onPostgres ? (f) => f.event === 'error' : () => true);
      if (onPostgres) {
        // The database kept every event, deltas too: the client gets the rest without a gap, up to the interruption.
        const seqs = rejoin.map((f) => Number(f.id));
        expect(seqs).toEqual(seqs.map((_, index) => lastSeq + 1 + index));
        expect(rejoin.at(-1)!.data).toMatchObject({ type: 'error', code: 'interrupted' });
      } else {
        // A client that rejoins with its Last-Event-ID gets an explicit resync (the deltas are gone), never a silent gap.
        expect(rejoin[0].event).toBe('resync');
        expect(Number(rejoin[0].id)).toBeGreaterThan(lastSeq);
      }

      // The durable events are all there.
      const types = await storedEventTypes(join(dir, 'data'), session.id);
      expect(types.slice(0, 2)).toEqual(['user_message', 'message_start']);
      expect(types).toContain('error');

      llm.enqueue({ text: 'back to work' });
      const next = await json(`${second.url}/api/sessions/${session.id}/messages`, { method: 'POST', body: JSON.stringify({ content: 'continue' }) });
      expect(next.status).toBe(200);
      expect((await next.json()).content).toBe('back to work');
    } finally {
      await stop(second);
    }
  });

  it('on SIGTERM gives the running reply a grace period, then saves it as interrupted and exits 0', async () => {
    const { args, goosed: first, session } = await startWithSession('term');
    llm.enqueue({ text: Array.from({ length: 400 }, (_, i) => `w${i} `), chunkDelayMs: 25 });
    const streaming = await json(`${first.url}/api/sessions/${session.id}/messages/stream`, { method: 'POST', body: JSON.stringify({ content: 'long' }) });
    await readSse(streaming, (_f, frames) => frames.length >= 10);
    const started = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);

    const second = await spawnGoosed(args);
    try {
      const after = await (await fetch(`${second.url}/api/sessions/${session.id}`)).json();
      expect(after.messages[1].status).toBe('interrupted');
      expect(after.messages[1].content.length).toBeGreaterThan(0);
      expect(after.status).toBe('idle');
    } finally {
      await stop(second);
    }
  });
});
