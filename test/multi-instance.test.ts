import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGoosedBundle, type GoosedBundle } from './support/goosed-bundle.js';
import { createSession, temporaryDirectory, useScriptedProvider, waitFor } from './support/goosed.js';
import { addExtension, answerApproval, listMessages, stdioFixtureConfig, waitForPendingApprovals, waitForReplyEnd } from './support/extensions.js';
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

/** A short lease, so that an instance's death is noticed within seconds. */
const LEASE = { GOOSED_REPLY_LEASE_MS: '2000' };

/**
 * Instances on a new database; the first migrates it and gets the scripted provider and the
 * developer extension (shell allowed), which the others read from the database as they start.
 */
const databases = new Map<Instance, string>();
const databaseOf = (instance: Instance) => databases.get(instance)!;

async function instances(names: string[]): Promise<Instance[]> {
  const url = await createTestDatabase();
  const first = await startInstance(bundle, url, names[0], LEASE);
  running = [first];
  await useScriptedProvider(first, llm.url);
  await addExtension(first, { name: 'developer', config: { allow_shell: true } });
  running.push(...(await Promise.all(names.slice(1).map((name) => startInstance(bundle, url, name, LEASE)))));
  for (const instance of running) databases.set(instance, url);
  return running;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);
const stream = (instance: Instance, sessionId: string, content: string, signal?: AbortSignal) =>
  instance.request(`/api/sessions/${sessionId}/messages/stream`, { method: 'POST', json: { content }, signal });
const follow = (instance: Instance, sessionId: string, after: string) => instance.request(`/api/sessions/${sessionId}/events?after=${after}`);
/** A reply's own stream has no session_updated; a follower of the session sees those too. */
const replyEvents = (frames: SseFrame[]) => frames.filter((f) => f.event !== 'session_updated');
const asSent = (frames: SseFrame[]) => frames.map((f) => ({ id: f.id, event: f.event, data: f.data }));

describe('several instances on one database', () => {
  it("gives a follower on B every event of A's reply, in order, the text deltas included", async () => {
    const [a, b, c] = await instances(['a', 'b', 'c']);
    const session = await createSession(a);
    // From the session's start: nothing published meanwhile can be missed, whenever B attaches.
    const onB = readSse(await follow(b, session.id, '0'), isReplyEnd);
    const onC = readSse(await follow(c, session.id, '0'), isReplyEnd);
    llm.enqueue({ text: words(40), chunkDelayMs: 3 });
    const sent = await readSse(await stream(a, session.id, 'hi'));
    expect(sent.filter((f) => f.event === 'content_delta').length).toBeGreaterThan(1);
    const first = Number(sent[0].id);
    for (const frames of await Promise.all([onB, onC])) {
      const reply = replyEvents(frames.filter((f) => Number(f.id) >= first));
      expect(asSent(reply)).toEqual(asSent(sent));
    }
  });

  it('lets a follower move to another instance mid-reply with Last-Event-ID and lose nothing', async () => {
    const [a, b, c] = await instances(['a', 'b', 'c']);
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

  it('hold one reply per session across instances: 409 session_busy, queue and Idempotency-Key', async () => {
    const [a, b] = await instances(['a', 'b']);
    const session = await createSession(a);
    llm.enqueue({ text: words(30), chunkDelayMs: 20 }, { text: 'queued on b' });
    const first = a.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'one' }, headers: { 'idempotency-key': 'k1' } });
    await waitFor(async () => (await (await b.request(`/api/sessions/${session.id}`)).json()).status, (status) => status === 'running');
    const busy = await b.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'two' } });
    expect(busy.status).toBe(409);
    expect((await busy.json()).code).toBe('session_busy');
    // The same message again, through B: the reply A runs, not a second one.
    const repeat = b.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'one' }, headers: { 'idempotency-key': 'k1' } });
    const queued = b.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'two', queue: true } });
    const [fromA, repeated, afterIt] = await Promise.all([first, repeat, queued]);
    const original = await fromA.json();
    expect(original.content).toBe(words(30).join(''));
    expect((await repeated.json()).id).toBe(original.id);
    expect((await afterIt.json()).content).toBe('queued on b');
    const messages = await listMessages(a, session.id);
    expect(messages.map((m) => m.content)).toEqual(['one', words(30).join(''), 'two', 'queued on b']);
  });

  it('lets a cancel sent to C stop the reply A runs', async () => {
    const [a, , c] = await instances(['a', 'b', 'c']);
    const session = await createSession(a);
    const abortedBefore = llm.aborted;
    llm.enqueue({ text: words(400), chunkDelayMs: 25 });
    const sending = readSse(await stream(a, session.id, 'write a lot'));
    await waitFor(async () => (await listMessages(c, session.id)).at(-1)?.content ?? '', (content: string) => content.length > 0);
    const cancel = await c.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    const answer = await cancel.json();
    expect(answer).toMatchObject({ cancelled: true, message: { role: 'assistant', status: 'cancelled' } });
    const frames = await sending;
    expect(frames.at(-1)!.data.message).toMatchObject({ id: answer.message.id, status: 'cancelled' });
    expect(frames.at(-1)!.data.message.content.length).toBeLessThan(words(400).join('').length);
    expect(llm.aborted).toBe(abortedBefore + 1);
    // Nothing runs anywhere now: a cancel on any instance finds nothing.
    expect(await (await c.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' })).json()).toEqual({ cancelled: false, message: null });
  });

  it("lets a session be deleted on C while A runs its reply: A's reply stops, B's queued message and follower are told", { timeout: 60_000 }, async () => {
    const [a, b, c] = await instances(['a', 'b', 'c']);
    const session = await createSession(a);
    const abortedBefore = llm.aborted;
    llm.enqueue({ text: words(400), chunkDelayMs: 25 });
    const sending = readSse(await stream(a, session.id, 'write a lot'));
    await waitFor(async () => (await listMessages(c, session.id)).at(-1)?.content ?? '', (content: string) => content.length > 0);
    const followingOnB = readSse(await follow(b, session.id, '0'));
    // Waits for the reply A runs (or, sent after the DELETE, finds the session gone): either way a 404.
    const queuedOnB = b.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'two', queue: true } });
    expect((await c.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    const queued = await queuedOnB;
    expect(queued.status).toBe(404);
    expect((await queued.json()).code).toBe('not_found');
    // The reply on A stopped at once (its provider request aborted), and both streams ended.
    await waitFor(() => llm.aborted, (aborted) => aborted === abortedBefore + 1);
    const [onA, onB] = await Promise.all([sending, followingOnB]);
    expect(onA.some((f) => f.event === 'message_complete')).toBe(false);
    expect(onB.some((f) => f.event === 'message_complete')).toBe(false);
    for (const instance of [a, b, c]) expect((await instance.request(`/api/sessions/${session.id}`)).status).toBe(404);
  });

  it('lets an approval asked on A be answered on B: the reply on A goes on', async () => {
    const [a, b] = await instances(['a', 'b']);
    const workDir = temporaryDirectory('goosed-work-');
    const session = await createSession(a, { execution_mode: 'approve', working_directory: workDir });
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo answered-on-b' } }] }, { text: 'Done on A.' });
    const sending = readSse(await stream(a, session.id, 'run it'));
    const [approval] = await waitForPendingApprovals(b, session.id);
    expect((await answerApproval(b, session.id, approval.id, 'allow_once')).status).toBe(200);
    // Answered once: a second answer on either instance is refused.
    expect((await answerApproval(a, session.id, approval.id, 'deny')).status).toBe(409);
    const frames = await sending;
    expect(frames.at(-1)!.data.message.content).toBe('Done on A.');
    const result = frames.find((f) => f.event === 'tool_result')!.data;
    expect(JSON.stringify(result)).toContain('answered-on-b');
  });

  it("settles A's replies on B once A is killed: the running one interrupted, the waiting one answered on B", async () => {
    const [a, b] = await instances(['a', 'b']);
    const workDir = temporaryDirectory('goosed-work-');
    const writing = await createSession(a);
    const asking = await createSession(a, { execution_mode: 'approve', working_directory: workDir });
    // Streams to A are dropped before it dies: the client has what it read.
    const toA = new AbortController();
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo after-the-kill' } }] });
    await readSse(await stream(a, asking.id, 'run it', toA.signal), (f) => f.event === 'approval_request');
    llm.enqueue({ text: words(400), chunkDelayMs: 25 });
    const seen = await readSse(await stream(a, writing.id, 'write a lot', toA.signal), (_f, frames) => frames.length >= 20);
    toA.abort();
    // Acknowledged: the text saved so far (written every 100 ms) is what must survive.
    const saved = await waitFor(async () => (await listMessages(b, writing.id)).at(-1)?.content ?? '', (content: string) => content.length > 10);
    a.child.kill('SIGKILL');
    await a.exited;

    // B notices once the lease expires: the running reply is interrupted, its text kept.
    const interrupted = await waitForReplyEnd(b, writing.id, 20_000);
    expect(interrupted).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
    expect(interrupted.content.startsWith(saved)).toBe(true);
    // The session is made idle right after the message is ended (two writes): a read between them sees it still running.
    await waitFor(async () => (await (await b.request(`/api/sessions/${writing.id}`)).json()).status, (status) => status === 'idle');
    // Every event up to the kill is still there for a follower that comes back through B.
    const rest = await readSse(await b.request(`/api/sessions/${writing.id}/events`, { headers: { 'last-event-id': seen.at(-1)!.id! } }), (f) => f.event === 'error');
    const seqs = rest.map((f) => Number(f.id));
    expect(seqs).toEqual(seqs.map((_, index) => Number(seen.at(-1)!.id) + 1 + index));

    // The reply waiting for a person waits on B now; answered there, it runs there.
    await waitFor(async () => (await (await b.request(`/api/sessions/${asking.id}`)).json()).status, (status) => status === 'waiting_approval');
    const [approval] = await waitForPendingApprovals(b, asking.id);
    llm.enqueue({ text: 'Finished on B.' });
    const follow = readSse(await b.request(`/api/sessions/${asking.id}/events`), isReplyEnd);
    expect((await answerApproval(b, asking.id, approval.id, 'allow_once')).status).toBe(200);
    const frames = await follow;
    expect(frames.at(-1)!.data.message.content).toBe('Finished on B.');
    expect(JSON.stringify(frames.find((f) => f.event === 'tool_result')!.data)).toContain('after-the-kill');
  });

  // The fixture starts through tsx on each instance: slow on a loaded machine.
  it('runs an extension added on A on B before B needs it, and stops it there when A removes it', { timeout: 60_000 }, async () => {
    const [a, b] = await instances(['a', 'b']);
    const extensionOnB = async () => {
      const response = await b.request('/api/extensions/fixture');
      return response.status === 200 ? ((await response.json()) as { state: string; tools: { name: string }[] }) : null;
    };
    expect(await extensionOnB()).toBeNull();
    await addExtension(a, { name: 'fixture', config: stdioFixtureConfig() });
    // Notified, not polled by goosed: B starts it on its own, and knows its tools.
    const running = await waitFor(extensionOnB, (extension) => extension?.state === 'running' && extension.tools.length > 0, 20_000);
    expect(running!.tools.map((tool) => tool.name)).toContain('fixture__echo');
    // A reply on B can use it at once.
    const session = await createSession(b, { execution_mode: 'auto' });
    llm.enqueue({ toolCalls: [{ name: 'fixture__echo', arguments: { text: 'from b' } }] }, { text: 'Echoed.' });
    const frames = await readSse(await stream(b, session.id, 'echo'));
    expect(JSON.stringify(frames.find((f) => f.event === 'tool_result')!.data)).toContain('from b');
    expect((await a.request('/api/extensions/fixture', { method: 'DELETE' })).status).toBe(204);
    await waitFor(extensionOnB, (extension) => extension === null);
  });

  it("brings a session's own extensions added and removed on A in line on B", async () => {
    const [a, b] = await instances(['a', 'b']);
    const session = await createSession(a);
    const path = `/api/sessions/${session.id}/extensions`;
    const add = async (name: string) => expect((await a.request(path, { method: 'POST', json: { name, config: stdioFixtureConfig(), enabled: false } })).status).toBe(201);
    const namesOnB = async () => ((await (await b.request(path)).json()) as { name: string }[]).map((extension) => extension.name);
    await add('first');
    // B reads the session's extensions at their first use, and keeps them.
    expect(await namesOnB()).toEqual(['first']);
    await add('second');
    await waitFor(namesOnB, (names) => names.join() === 'first,second');
    expect((await a.request(`${path}/first`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(namesOnB, (names) => names.join() === 'second');
  });

  it('shares a setting changed on A with B at once, and with an instance started later', async () => {
    const [a, b] = await instances(['a', 'b']);
    const maxTurns = async (instance: Instance) => ((await (await instance.request('/api/config')).json()) as { max_turns: number }).max_turns;
    expect(await maxTurns(b)).toBe(25);
    const patched = await a.request('/api/config', { method: 'PATCH', json: { max_turns: 7, allowed_hosts: ['goosed.example'] } });
    expect(patched.status).toBe(200);
    // Notified, not polled by goosed: B has it as soon as the database told it.
    await waitFor(() => maxTurns(b), (turns) => turns === 7);
    expect(await (await b.request('/api/config')).json()).toMatchObject({ allowed_hosts: ['goosed.example'] });
    // Two settings changed at once on A and B: both are kept in the database, neither overwrites the other.
    const [onA, onB] = await Promise.all([
      a.request('/api/config', { method: 'PATCH', json: { tool_timeout_ms: 4321 } }),
      b.request('/api/config', { method: 'PATCH', json: { execution_mode: 'chat' } }),
    ]);
    expect([onA.status, onB.status]).toEqual([200, 200]);
    const both = { max_turns: 7, tool_timeout_ms: 4321, execution_mode: 'chat' };
    await waitFor(async () => (await a.request('/api/config')).json(), (config) => Object.entries(both).every(([key, value]) => config[key] === value));
    const c = await startInstance(bundle, databaseOf(a), 'c', LEASE);
    running.push(c);
    expect(await (await c.request('/api/config')).json()).toMatchObject({ ...both, allowed_hosts: ['goosed.example'] });
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
