import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession, startTestServer, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { isSummaryRequest } from './support/scripted-llm.js';
import { factEchoingModel, longMessage } from './support/context-script.js';
import { readSse } from './support/sse-client.js';

// Compaction on demand (POST /compact), a cancel during a summary, a message too long for the
// window, and the windows goosed knows of itself (catalogue) or is told (context_limit, output_limit).

let harness: ReplyHarness;
beforeAll(async () => {
  harness = await startReplyHarness();
});
afterAll(() => harness?.close());
beforeEach(() => {
  harness.llm.setContextLimit(undefined);
  harness.llm.setFallback(factEchoingModel());
});

const configure = (extra: Record<string, unknown>, name = 'openai', model = 'scripted-model') =>
  harness.goosed.request('/api/providers', {
    method: 'POST',
    json: { name, api_key: 'sk-test-key-for-scripted-llm-0001', model, base_url: `${harness.llm.url}${name === 'ollama' ? '/api' : '/v1'}`, ...extra },
  });
const send = (sessionId: string, content: string) => harness.goosed.request(`/api/sessions/${sessionId}/messages`, { method: 'POST', json: { content } });
const compact = (sessionId: string) => harness.goosed.request(`/api/sessions/${sessionId}/compact`, { method: 'POST' });

describe('POST /api/sessions/{id}/compact', () => {
  beforeEach(async () => {
    expect((await configure({})).status).toBe(200);
  });

  it('summarises all but the latest turn, tells every follower, and keeps the history whole', async () => {
    const { goosed, llm } = harness;
    const session = await createSession(goosed);
    for (let i = 0; i < 3; i++) expect((await send(session.id, longMessage(i, 100, i === 0 ? 'FACT: the cat is called Miso. ' : ''))).status).toBe(200);
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    const head = await goosed.server.context.events.head(session.id);
    const followers = [0, 1].map(async () => readSse(await goosed.request(`/api/sessions/${session.id}/events?after=${head}`), (frame) => frame.event === 'context_compacted', 10_000));
    // Both followers are connected before the compaction.
    await waitFor(() => goosed.server.context.events.followerCount(session.id) === 2);

    const response = await compact(session.id);
    expect(response.status).toBe(200);
    const { summary, context } = await response.json();
    expect(summary).toMatchObject({ session_id: session.id, through_message_id: history[3].id, text: expect.stringContaining('FACT: the cat is called Miso.') });
    expect(summary.tokens_after).toBeLessThan(summary.tokens_before);
    expect(context).toEqual({ tokens: summary.tokens_after, limit: null });
    for (const frames of await Promise.all(followers)) expect(frames.at(-1)?.data).toMatchObject({ type: 'context_compacted', summary, tokens_after: summary.tokens_after });
    expect(await (await goosed.request(`/api/sessions/${session.id}/messages`)).json()).toEqual(history);
    expect(await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json()).toEqual([summary]);
    expect((await (await goosed.request(`/api/sessions/${session.id}`)).json()).context).toEqual(context);

    // The next prompt: system, the summary, the latest turn and the new message.
    expect((await send(session.id, 'And now?')).status).toBe(200);
    const prompt = JSON.stringify(llm.requests.at(-1)!.body.messages);
    expect(prompt).toContain('FACT: the cat is called Miso.');
    expect(prompt).not.toContain('Message 0 goes on');
    expect(prompt).not.toContain('Message 1 goes on');
    expect(prompt).toContain('Message 2 goes on');
  });

  it('answers summary null when there is no older turn, 409 while a reply runs, 404 for no session', async () => {
    const { goosed, llm } = harness;
    const session = await createSession(goosed);
    expect(await (await compact(session.id)).json()).toEqual({ summary: null, context: { tokens: expect.any(Number), limit: null } });
    expect((await send(session.id, 'one')).status).toBe(200);
    expect((await (await compact(session.id)).json()).summary).toBeNull();

    llm.enqueue({ text: ['slow ', 'answer'], fault: { kind: 'stall_after', chunks: 1 } });
    const running = send(session.id, 'two');
    await waitFor(async () => (await (await goosed.request(`/api/sessions/${session.id}`)).json()).status, (status) => status === 'running');
    const busy = await compact(session.id);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: 'session_busy' });
    await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' });
    expect((await (await running).json()).status).toBe('cancelled');
    expect((await compact('no-such-session')).status).toBe(404);
  });

  it('is stopped by the deletion of its session: the compaction answers 404, and nothing is written after the session went', async () => {
    const { goosed, llm } = harness;
    const session = await createSession(goosed);
    for (let i = 0; i < 3; i++) expect((await send(session.id, longMessage(i, 100))).status).toBe(200);
    const before = { aborted: llm.aborted, summaryRequests: llm.requests.filter(isSummaryRequest).length };
    // The summary never comes on its own: only the deletion ends the compaction.
    llm.enqueue({ match: isSummaryRequest, text: ['never ', 'finished'], fault: { kind: 'stall_after', chunks: 0 } });
    const compaction = compact(session.id);
    await waitFor(() => llm.requests.filter(isSummaryRequest).length > before.summaryRequests);
    const deleted = await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const answer = await compaction;
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ code: 'not_found' });
    await waitFor(() => llm.aborted, (aborted) => aborted > before.aborted);
    expect((await goosed.request(`/api/sessions/${session.id}`)).status).toBe(404);
    // The server goes on: a new session compacts as before.
    const next = await createSession(goosed);
    expect((await compact(next.id)).status).toBe(200);
  });

  it('answers 400 no_provider when there is no provider', async () => {
    const bare: TestServer = await startTestServer();
    try {
      const session = await createSession(bare);
      const response = await bare.request(`/api/sessions/${session.id}/compact`, { method: 'POST' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'no_provider' });
    } finally {
      await bare.close();
    }
  });
});

describe('compaction inside a reply', () => {
  it('a cancel during the summary call stops the reply, writes no summary, and the next message compacts again', async () => {
    const { goosed, llm } = harness;
    expect((await configure({ context_limit: 2000 })).status).toBe(200);
    const session = await createSession(goosed);
    // Three turns fit the threshold (1,600 tokens); the fourth message passes it.
    for (let i = 0; i < 3; i++) expect((await send(session.id, longMessage(i, 400))).status).toBe(200);
    expect(await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json()).toEqual([]);
    const before = { aborted: llm.aborted, summaryRequests: llm.requests.filter(isSummaryRequest).length };
    llm.enqueue({ match: isSummaryRequest, text: ['never ', 'finished'], fault: { kind: 'stall_after', chunks: 0 } });
    const running = send(session.id, longMessage(3, 400));
    await waitFor(() => llm.requests.filter(isSummaryRequest).length > before.summaryRequests);
    const cancel = await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' });
    expect((await cancel.json()).cancelled).toBe(true);
    expect(await (await running).json()).toMatchObject({ status: 'cancelled' });
    await waitFor(() => llm.aborted, (aborted) => aborted > before.aborted);
    expect(await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json()).toEqual([]);

    const next = await send(session.id, 'go on');
    expect(await next.json()).toMatchObject({ status: 'complete' });
    expect(await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json()).toHaveLength(1);
    expect(await (await goosed.request(`/api/sessions/${session.id}/messages`)).json()).toHaveLength(10);
  });

  it('a message longer than the window fails with context_too_long, and the session goes on', async () => {
    const { goosed, llm } = harness;
    expect((await configure({ context_limit: 2000 })).status).toBe(200);
    llm.setContextLimit(2000);
    const session = await createSession(goosed);
    const sent = llm.requests.length;
    const response = await send(session.id, longMessage(0, 3000));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'context_too_long', error: expect.stringContaining('2,000 tokens') });
    // Known to be too long: it was never sent.
    expect(llm.requests.length).toBe(sent);
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history.map((m: any) => [m.role, m.status, m.error?.code ?? null])).toEqual([
      ['user', 'complete', null],
      ['assistant', 'error', 'context_too_long'],
    ]);
    // The long message is an older turn now: summarised (cut), it no longer stands in the way.
    expect(await (await send(session.id, 'Something shorter.')).json()).toMatchObject({ status: 'complete' });
    expect(llm.refused).toHaveLength(0);
  });
});

describe('model windows', () => {
  it('come from the catalogue, shipped with goosed, for known models and their snapshots and aliases', async () => {
    const { goosed, llm } = harness;
    for (const [name, model, window] of [
      ['openai', 'gpt-4o-2024-08-06', 128_000],
      ['openai', 'gpt-4.1', 1_047_576],
      ['anthropic', 'claude-sonnet-4-5', 200_000],
    ] as const) {
      expect((await configure({}, name, model)).status).toBe(200);
      const session = await createSession(goosed);
      expect((await send(session.id, 'hello')).status).toBe(200);
      expect((await (await goosed.request(`/api/sessions/${session.id}`)).json()).context.limit, model).toBe(window);
    }
    expect(llm.requests.at(-1)!.body.max_tokens).toBe(8192);
  });

  it('context_limit and output_limit, as configured, win; Ollama gets the window as num_ctx', async () => {
    const { goosed, llm } = harness;
    const response = await configure({ context_limit: 50_000, output_limit: 1000 }, 'openai', 'gpt-4o');
    expect(response.status).toBe(200);
    const listed = (await (await goosed.request('/api/providers')).json()).find((p: any) => p.name === 'openai');
    expect(listed).toMatchObject({ context_limit: 50_000, output_limit: 1000 });
    const session = await createSession(goosed);
    expect((await send(session.id, 'hello')).status).toBe(200);
    expect((await (await goosed.request(`/api/sessions/${session.id}`)).json()).context.limit).toBe(50_000);
    expect(llm.requests.at(-1)!.body.max_tokens).toBe(1000);

    expect((await configure({ context_limit: 6000 }, 'ollama', 'qwen2.5')).status).toBe(200);
    expect((await send(session.id, 'hello again')).status).toBe(200);
    expect(llm.requests.at(-1)!.body.options).toMatchObject({ num_ctx: 6000 });
    const refused = await configure({ context_limit: 12 });
    expect(refused.status).toBe(400);
  });
});
