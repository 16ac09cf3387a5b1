import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGoosedBundle, type GoosedBundle } from './support/goosed-bundle.js';
import { createSession, useScriptedProvider } from './support/goosed.js';
import { startInstance, stopAll, type Instance } from './support/instances.js';
import { createTestDatabase } from './support/postgres.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { isReplyEnd, readSse, type SseFrame } from './support/sse-client.js';

// Several goosed processes on one PostgreSQL database (docs/deploy.md#several-instances): what a
// client sees must not depend on which instance the load balancer sends it to.

let bundle: GoosedBundle;
let llm: ScriptedLlm;
let running: Instance[] = [];

beforeAll(async () => {
  [bundle, llm] = await Promise.all([buildGoosedBundle(), startScriptedLlm()]);
});
afterAll(async () => {
  await llm?.close();
  bundle?.remove();
});
afterEach(async () => {
  await stopAll(running);
  running = [];
});

async function instances(names: string[]): Promise<Instance[]> {
  const url = await createTestDatabase();
  // One first: it migrates the database; the others find it ready (starting together is its own test).
  const first = await startInstance(bundle, url, names[0]);
  const rest = await Promise.all(names.slice(1).map((name) => startInstance(bundle, url, name)));
  running = [first, ...rest];
  return running;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);
const stream = (instance: Instance, sessionId: string, content: string) =>
  instance.request(`/api/sessions/${sessionId}/messages/stream`, { method: 'POST', json: { content } });
const follow = (instance: Instance, sessionId: string, after: string) => instance.request(`/api/sessions/${sessionId}/events?after=${after}`);
/** A reply's own stream has no session_updated; a follower of the session sees those too. */
const replyEvents = (frames: SseFrame[]) => frames.filter((f) => f.event !== 'session_updated');
const asSent = (frames: SseFrame[]) => frames.map((f) => ({ id: f.id, event: f.event, data: f.data }));

describe('several instances on one database', () => {
  it("gives a follower on B every event of A's reply, in order, the text deltas included", async () => {
    const [a, b, c] = await instances(['a', 'b', 'c']);
    await useScriptedProvider(a, llm.url);
    const session = await createSession(a);
    // From the session's start: nothing published meanwhile can be missed, whenever B attaches.
    const onB = readSse(await follow(b, session.id, '0'), isReplyEnd);
    const onC = readSse(await follow(c, session.id, '0'), isReplyEnd);
    llm.enqueue({ text: words(40), chunkDelayMs: 3 });
    const sent = await readSse(await stream(a, session.id, 'hi'));
    expect(sent.filter((f) => f.event === 'content_delta').length).toBeGreaterThan(5);
    const first = Number(sent[0].id);
    for (const frames of await Promise.all([onB, onC])) {
      const reply = replyEvents(frames.filter((f) => Number(f.id) >= first));
      expect(asSent(reply)).toEqual(asSent(sent));
    }
  });

  it('lets a follower move to another instance mid-reply with Last-Event-ID and lose nothing', async () => {
    const [a, b, c] = await instances(['a', 'b', 'c']);
    await useScriptedProvider(a, llm.url);
    const session = await createSession(a);
    llm.enqueue({ text: words(60), chunkDelayMs: 10 });
    const sending = readSse(await stream(a, session.id, 'hi'));
    const early = await readSse(await follow(b, session.id, '0'), (f, frames) => frames.filter((each) => each.event === 'content_delta').length === 5);
    // The connection drops; the client comes back through another instance.
    const rest = await readSse(await c.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': early.at(-1)!.id! } }), isReplyEnd);
    const whole = [...early, ...rest];
    const seqs = whole.map((f) => Number(f.id));
    expect(seqs).toEqual(seqs.map((_, index) => seqs[0] + index));
    const text = whole.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('');
    expect(text).toBe(words(60).join(''));
    const sent = await sending;
    expect(asSent(replyEvents(whole).filter((f) => Number(f.id) >= Number(sent[0].id)))).toEqual(asSent(sent));
  });

  it('start at the same moment on an empty database: one migrates, all serve the same data', async () => {
    const url = await createTestDatabase();
    running = await Promise.all(['a', 'b', 'c'].map((name) => startInstance(bundle, url, name)));
    const [a, b, c] = running;
    const session = await createSession(b, { name: 'made on b' });
    for (const instance of [a, c]) {
      expect(await (await instance.request(`/api/sessions/${session.id}`)).json()).toMatchObject({ id: session.id, name: 'made on b' });
    }
  });
});
