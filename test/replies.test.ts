import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { mergeDeltaRuns } from './support/delta-runs.js';
import { isReplyEnd, readSse } from './support/sse-client.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;

beforeAll(async () => {
  harness = await startReplyHarness();
  ({ llm, goosed } = harness);
});
afterAll(() => harness?.close());
beforeEach(() => {
  llm.setFallback(undefined);
});

const send = (sessionId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  goosed.request(`/api/sessions/${sessionId}/messages`, { method: 'POST', json: body, headers });
const stream = (sessionId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  goosed.request(`/api/sessions/${sessionId}/messages/stream`, { method: 'POST', json: body, headers });

describe("sending a message, as the seed shows it", () => {
  it('answers with the complete assistant message', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ["I'll create ", 'a Python ', 'script...'], usage: { input: 12, output: 5 } });
    const response = await send(session.id, { content: 'Create a Python script', role: 'user' });
    expect(response.status).toBe(200);
    const message = await response.json();
    expect(message).toMatchObject({ role: 'assistant', content: "I'll create a Python script...", status: 'complete' });
    expect(message.id).toBeTruthy();
    expect(new Date(message.created_at).toISOString()).toBe(message.created_at);
    expect(message.usage).toEqual({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });

    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', 'Create a Python script'],
      ['assistant', "I'll create a Python script..."],
    ]);
    const after = await (await goosed.request(`/api/sessions/${session.id}`)).json();
    expect(after.usage).toEqual({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    expect(after.message_count).toBe(2);
    expect(after.status).toBe('idle');
    // The model saw the user's words.
    expect(JSON.stringify(llm.requests[llm.requests.length - 1].body.messages)).toContain('Create a Python script');
  });

  it('sends the history on the next turn', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: 'First answer.' }, { text: 'Second answer.' });
    await send(session.id, { content: 'first question' });
    await send(session.id, { content: 'second question' });
    const messages = llm.requests[llm.requests.length - 1].body.messages;
    const texts = JSON.stringify(messages);
    expect(texts).toContain('first question');
    expect(texts).toContain('First answer.');
    expect(texts).toContain('second question');
  });

  it('streams the reply as SSE events ending with message_complete', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['Write ', 'a ', 'function'], usage: { input: 3, output: 3 } });
    const response = await stream(session.id, { content: 'Write a function...' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const frames = await readSse(response);
    const types = frames.map((f) => f.event);
    expect(mergeDeltaRuns(types)).toEqual(['user_message', 'message_start', 'content_delta', 'message_complete']);
    expect(frames.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('')).toBe('Write a function');
    const seqs = frames.map((f) => Number(f.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    for (const frame of frames) expect(frame.data).toMatchObject({ type: frame.event, seq: Number(frame.id), session_id: session.id });
    expect(frames.at(-1)!.data.message).toMatchObject({ content: 'Write a function', status: 'complete', usage: { total_tokens: 6 } });
  });
});

describe('refusals', () => {
  it('answers 400 no_provider, saying how to configure one, and stores nothing', async () => {
    const bare = await startTestServer();
    try {
      const session = await createSession(bare);
      const response = await bare.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.code).toBe('no_provider');
      expect(body.error).toContain('POST /api/providers');
      expect(await (await bare.request(`/api/sessions/${session.id}/messages`)).json()).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it('refuses an unknown session, an empty message and a non-user role', async () => {
    expect((await send('nope', { content: 'hi' })).status).toBe(404);
    const session = await createSession(goosed);
    expect((await send(session.id, { content: '' })).status).toBe(400);
    expect((await send(session.id, { content: 'x', role: 'assistant' })).status).toBe(400);
    expect((await send(session.id, { content: 42 })).status).toBe(400);
  });

  it('answers 409 session_busy to a second message while a reply runs, and queues it when asked', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['slow ', 'reply ', 'here'], chunkDelayMs: 150 }, { text: 'queued answer' });
    const first = send(session.id, { content: 'one' });
    await waitFor(async () => (await (await goosed.request(`/api/sessions/${session.id}`)).json()).status, (s) => s === 'running');
    const busy = await send(session.id, { content: 'two' });
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: 'session_busy' });
    const queued = send(session.id, { content: 'three', queue: true });
    expect((await (await first).json()).content).toBe('slow reply here');
    expect((await (await queued).json()).content).toBe('queued answer');
  });

  it('starts one reply for the same Idempotency-Key, or the same message id, sent twice', async () => {
    const session = await createSession(goosed);
    const before = llm.requests.length;
    llm.enqueue({ text: ['only ', 'once'], chunkDelayMs: 50 });
    const [a, b] = await Promise.all([
      send(session.id, { content: 'hello' }, { 'idempotency-key': 'key-1' }),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return send(session.id, { content: 'hello' }, { 'idempotency-key': 'key-1' });
      })(),
    ]);
    const [first, second] = [await a.json(), await b.json()];
    expect(first.id).toBe(second.id);
    expect(first.content).toBe('only once');
    const again = await (await send(session.id, { content: 'hello' }, { 'idempotency-key': 'key-1' })).json();
    expect(again.id).toBe(first.id);
    llm.enqueue({ text: 'by id' });
    const byId = await (await send(session.id, { content: 'x', id: 'client-msg-1' })).json();
    const byIdAgain = await (await send(session.id, { content: 'x', id: 'client-msg-1' })).json();
    expect(byIdAgain.id).toBe(byId.id);
    expect(llm.requests.length - before).toBe(2);
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history).toHaveLength(4);
  });
});

describe('cancel', () => {
  it('aborts the provider request at once and keeps the partial reply, marked cancelled', async () => {
    const session = await createSession(goosed);
    const abortedBefore = llm.aborted;
    llm.enqueue({ text: ['partial ', 'text ', 'never ', 'finished'], fault: { kind: 'stall_after', chunks: 2 } });
    const response = await stream(session.id, { content: 'go' });
    const reading = readSse(response, isReplyEnd);
    await waitFor(async () => (await (await goosed.request(`/api/sessions/${session.id}/messages`)).json())[1]?.content, (c) => c === 'partial text ');
    const cancel = await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    const result = await cancel.json();
    expect(result).toMatchObject({ cancelled: true, message: { status: 'cancelled', content: 'partial text ' } });
    const frames = await reading;
    expect(frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { status: 'cancelled' } } });
    await waitFor(() => llm.aborted, (n) => n === abortedBefore + 1);
    const again = await (await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' })).json();
    expect(again).toEqual({ cancelled: false, message: null });
    llm.enqueue({ text: 'still usable' });
    expect((await (await send(session.id, { content: 'next' })).json()).content).toBe('still usable');
  });

  it('deleting a session cancels its reply', async () => {
    const session = await createSession(goosed);
    const abortedBefore = llm.aborted;
    llm.enqueue({ text: ['a ', 'b ', 'c'], fault: { kind: 'stall_after', chunks: 1 } });
    const response = await stream(session.id, { content: 'go' });
    const reading = readSse(response);
    await waitFor(() => llm.pending, (n) => n === 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(() => llm.aborted, (n) => n === abortedBefore + 1);
    await reading;
    expect((await goosed.request(`/api/sessions/${session.id}`)).status).toBe(404);
  });
});

describe('provider faults', () => {
  it('retries a 429 with retry-after and a 500, then succeeds', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } }, { fault: { kind: 'status', status: 503 } }, { text: 'third time lucky' });
    const message = await (await send(session.id, { content: 'hi' })).json();
    expect(message.content).toBe('third time lucky');
  });

  it('ends the reply with one clear error after repeated 500s, and the session stays usable', async () => {
    const session = await createSession(goosed);
    for (let i = 0; i < 3; i++) llm.enqueue({ fault: { kind: 'status', status: 500 } });
    const response = await stream(session.id, { content: 'hi' });
    const frames = await readSse(response);
    const errors = frames.filter((f) => f.event === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].data.code).toBe('provider_unavailable');
    expect(frames.at(-1)!.event).toBe('error');
    const sync = await (async () => {
      for (let i = 0; i < 3; i++) llm.enqueue({ fault: { kind: 'status', status: 500 } });
      return send(session.id, { content: 'again' });
    })();
    expect(sync.status).toBe(502);
    llm.enqueue({ text: 'recovered' });
    expect((await (await send(session.id, { content: 'hi' })).json()).content).toBe('recovered');
  });

  it('keeps the partial text when the stream breaks midway, with an error event that says so', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['kept ', 'text ', 'lost'], fault: { kind: 'reset_after', chunks: 2 } });
    const frames = await readSse(await stream(session.id, { content: 'hi' }));
    expect(frames.at(-1)!.event).toBe('error');
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history[1]).toMatchObject({ status: 'error', content: 'kept text ' });
  });

  it('gives up on a provider that stops sending without closing', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['waiting ', 'forever'], fault: { kind: 'stall_after', chunks: 1 } });
    const frames = await readSse(await stream(session.id, { content: 'hi' }));
    expect(frames.at(-1)).toMatchObject({ event: 'error', data: { code: 'provider_timeout' } });
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history[1]).toMatchObject({ status: 'error', content: 'waiting ' });
  });

  it('does not repeat the key in any error', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ fault: { kind: 'status', status: 401, message: 'Incorrect API key provided: sk-test-key-for-scripted-llm-0001' } });
    const response = await send(session.id, { content: 'hi' });
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(text).not.toContain('sk-test-key-for-scripted-llm-0001');
    expect(JSON.parse(text).code).toBe('provider_auth_failed');
  });
});

describe('each provider through its real wire format', () => {
  for (const name of ['anthropic', 'ollama', 'google', 'openai_compatible', 'openai'] as const) {
    it(`${name}: a streamed reply with usage`, async () => {
      const own = await startScriptedServer(llm, { provider: name });
      try {
        const session = await createSession(own);
        llm.enqueue({ text: ['Hello ', 'from ', name], usage: { input: 4, output: 3 } });
        const frames = await readSse(await own.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } }));
        expect(frames.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('')).toBe(`Hello from ${name}`);
        expect(frames.at(-1)!.data.message.usage).toMatchObject({ input_tokens: 4, output_tokens: 3 });
      } finally {
        await own.close();
      }
    });
  }
});

describe('queued repeats', () => {
  it('a message queued twice with the same id behind a running reply starts one reply', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['first ', 'reply'], chunkDelayMs: 100 }, { text: 'queued once' });
    const running = send(session.id, { content: 'one' });
    await waitFor(async () => (await (await goosed.request(`/api/sessions/${session.id}`)).json()).status, (s) => s === 'running');
    const [a, b] = await Promise.all([
      send(session.id, { content: 'two', id: 'queued-twice', queue: true }),
      send(session.id, { content: 'two', id: 'queued-twice', queue: true }),
    ]);
    await running;
    expect([a.status, b.status].sort()).toEqual([200, 200]);
    const [first, second] = [await a.json(), await b.json()];
    expect(first.id).toBe(second.id);
    expect(first.content).toBe('queued once');
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history).toHaveLength(4);
  });
});

describe('deleting a session while a message is being started', () => {
  it('never breaks the server: the message is refused or the reply is cancelled', async () => {
    for (let i = 0; i < 10; i++) {
      const session = await createSession(goosed);
      llm.enqueue({ text: ['x ', 'y'], chunkDelayMs: 20 });
      const sending = send(session.id, { content: 'race' });
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      const deleted = await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      const response = await sending;
      expect(response.status).toBeLessThan(500);
    }
    llm.setFallback(undefined);
    expect((await goosed.request('/api/status')).status).toBe(200);
  });
});
