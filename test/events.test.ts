import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, temporaryDirectory, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { isReplyEnd, readSse, type SseFrame } from './support/sse-client.js';
import { onPostgres } from './support/postgres.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;

beforeAll(async () => {
  harness = await startReplyHarness();
  ({ llm, goosed } = harness);
});
afterAll(() => harness?.close());

const follow = (sessionId: string, headers: Record<string, string> = {}, query = '') =>
  goosed.request(`/api/sessions/${sessionId}/events${query}`, { headers });
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);
const summary = (frames: SseFrame[]) => frames.map((f) => `${f.id}:${f.event}`);
/** What a reply's own stream shows: a follower of the session also sees session_updated. */
const replyEvents = (frames: SseFrame[]) => frames.filter((f) => f.event !== 'session_updated');

describe('following a session', () => {
  it('gives any number of followers the same events in the same order', async () => {
    const session = await createSession(goosed);
    const first = readSse(await follow(session.id), isReplyEnd);
    const second = readSse(await follow(session.id), isReplyEnd);
    llm.enqueue({ text: words(20) });
    const sent = await readSse(await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
    const [a, b] = await Promise.all([first, second]);
    expect(summary(b)).toEqual(summary(a));
    expect(b.map((f) => f.data)).toEqual(a.map((f) => f.data));
    expect(a.some((f) => f.event === 'session_updated' && f.data.session.status === 'running')).toBe(true);
    expect(summary(replyEvents(a))).toEqual(summary(sent));
    expect(replyEvents(a).map((f) => f.data)).toEqual(sent.map((f) => f.data));
  });

  it('replays what a client missed after Last-Event-ID, from several points, then goes live', async () => {
    const session = await createSession(goosed);
    // Paced, so that the text comes as many deltas (tokens that arrive together are relayed as one).
    llm.enqueue({ text: words(30), chunkDelayMs: 2 });
    const all = await readSse(await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
    for (const index of new Set([0, 1, 5, Math.floor(all.length / 2), all.length - 2].filter((index) => index < all.length - 1))) {
      const lastSeen = all[index].id!;
      const replay = await readSse(await follow(session.id, { 'last-event-id': lastSeen }), isReplyEnd);
      expect(summary(replyEvents(replay))).toEqual(summary(all.slice(index + 1)));
      const byQuery = await readSse(await follow(session.id, {}, `?after=${lastSeen}`), isReplyEnd);
      expect(summary(byQuery)).toEqual(summary(replay));
    }
    // Caught up, then live: the next reply arrives on the same connection.
    const live = readSse(await follow(session.id, { 'last-event-id': all.at(-1)!.id! }), isReplyEnd);
    await new Promise((resolve) => setTimeout(resolve, 50));
    llm.enqueue({ text: 'second reply' });
    await readSse(await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'again' } }));
    const frames = await live;
    expect(replyEvents(frames)[0].event).toBe('user_message');
    expect(frames.at(-1)!.data.message.content).toBe('second reply');
  });

  it('lets a client that dropped off mid-reply rejoin and catch up, while the reply goes on', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: words(40), chunkDelayMs: 10 });
    const following = await follow(session.id);
    const done = readSse(await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
    const early = await readSse(following, (_f, frames) => frames.length === 6);
    const rejoined = await readSse(await follow(session.id, { 'last-event-id': early.at(-1)!.id! }), isReplyEnd);
    const whole = [...early, ...rejoined];
    const text = whole.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('');
    expect(text).toBe(words(40).join(''));
    const seqs = whole.map((f) => Number(f.id));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
    await done;
    const stored = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(stored[1]).toMatchObject({ status: 'complete', content: text });
  });

  it('sends one explicit resync where the missed events are gone, never a silent gap', async () => {
    const small = await startScriptedServer(llm, { replayCapacity: 8 });
    try {
      const session = await createSession(small);
      // Paced, so that the text comes as many deltas, more than the replay memory holds.
      llm.enqueue({ text: words(30), chunkDelayMs: 5 });
      const all = await readSse(await small.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
      await waitFor(async () => (await (await small.request(`/api/sessions/${session.id}`)).json()).status, (s) => s === 'idle');
      const head = Number(all.at(-1)!.id) + 1; // the session_updated (idle) that followed
      if (onPostgres) {
        // Every event is kept in the database (live ones for minutes): nothing is gone.
        const replayed = await readSse(await small.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all[3].id! } }), isReplyEnd);
        expect(summary(replyEvents(replayed))).toEqual(summary(all.slice(4)));
        return;
      }
      const stale = await readSse(await small.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all[3].id! } }), () => true);
      expect(stale).toHaveLength(1);
      expect(stale[0]).toMatchObject({ event: 'resync', id: String(head), data: { type: 'resync', seq: head } });
      const recent = await readSse(await small.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all.at(-5)!.id! } }), (f) => f.event === 'session_updated');
      expect(summary(replyEvents(recent))).toEqual(summary(all.slice(-4)));
      const future = await readSse(await small.request(`/api/sessions/${session.id}/events?after=${head + 100}`), () => true);
      expect(future[0].event).toBe('resync');
    } finally {
      await small.close();
    }
  });

  it('keeps events in memory within a byte budget: a bigger one replays from the store if durable, else resync', async () => {
    const small = await startScriptedServer(llm, { replayBytes: 4096 });
    try {
      const session = await createSession(small);
      const big = 'x'.repeat(10_000);
      llm.enqueue({ text: ['short ', big, ' tail'], chunkDelayMs: 20 });
      const all = await readSse(await small.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
      // (Pieces that reach goosed together travel as one delta: the big one may carry its neighbours.)
      const bigDelta = all.findIndex((f) => f.event === 'content_delta' && f.data.delta.includes(big));
      expect(bigDelta).toBeGreaterThan(0);
      if (onPostgres) {
        // Kept in the database whatever its size: the replay is whole.
        const whole = await readSse(await small.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all[bigDelta - 1].id! } }), isReplyEnd);
        expect(replyEvents(whole).map((f) => f.data)).toEqual(all.slice(bigDelta).map((f) => f.data));
        return;
      }
      // Rejoining from before the big delta: it was not kept, and text is not stored event by event.
      const before = await readSse(await small.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all[bigDelta - 1].id! } }), () => true);
      expect(before.map((f) => f.event)).toEqual(['resync']);
      // From after it: the message_complete (13 KB, not kept either) comes from the store.
      const after = await readSse(await small.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all[bigDelta].id! } }), isReplyEnd);
      expect(summary(replyEvents(after))).toEqual(summary(all.slice(bigDelta + 1)));
      expect(after.at(-1)!.data.message.content).toBe(`short ${big} tail`);
    } finally {
      await small.close();
    }
  });

  it('replays durable events from the store after a restart and resyncs across lost deltas', async () => {
    const dataDir = temporaryDirectory();
    const first = await startScriptedServer(llm, { dataDir });
    const session = await createSession(first);
    llm.enqueue({ text: ['one ', 'two'] });
    const all = await readSse(await first.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
    await first.close();
    const second = await startTestServer({ dataDir });
    try {
      // Right after the user message and message_start: the deltas that followed are gone.
      const frames = await readSse(await second.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': all[0].id! } }), onPostgres ? isReplyEnd : () => true);
      if (onPostgres) {
        // The database kept the deltas too: a follower that comes back after a restart loses nothing.
        expect(replyEvents(frames).map((f) => f.data)).toEqual(all.slice(1).map((f) => f.data));
      } else {
        expect(frames[0].event).toBe('resync');
        expect(Number(frames[0].id)).toBeGreaterThan(Number(all.at(-1)!.id));
      }
      // New events are numbered above everything handed out before the restart.
      const next = readSse(await second.request(`/api/sessions/${session.id}/events`), (f) => f.event === 'session_updated');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await second.request(`/api/sessions/${session.id}`, { method: 'PATCH', json: { name: 'renamed' } });
      const updated = await next;
      expect(Number(updated[0].id)).toBeGreaterThan(Number(all.at(-1)!.id));
    } finally {
      await second.close();
    }
  });

  it('refuses a malformed Last-Event-ID and an unknown session', async () => {
    const session = await createSession(goosed);
    const bad = await follow(session.id, { 'last-event-id': 'abc' });
    expect(bad.status).toBe(400);
    expect((await follow('no-such-session')).status).toBe(404);
    expect((await follow(session.id, {}, '?after=-1')).status).toBe(400);
  });

  it('tells followers of a deleted session and closes their stream', async () => {
    const session = await createSession(goosed);
    const response = await follow(session.id);
    const reading = readSse(response);
    await waitFor(() => true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    await expect(reading).resolves.toEqual([]);
  });
});
