import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startScriptedServer } from './support/reply-harness.js';
import { countingStore } from './support/counting-store.js';

// A reply reads what it needs once: the session when the message is admitted (then passed down),
// the provider settings when the provider is resolved for the reply. Counted on the real store.

const calls = countingStore();
let llm: ScriptedLlm;
let goosed: TestServer;

beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startScriptedServer(llm, { wrapStore: calls.wrap });
});
afterAll(async () => {
  await goosed?.close();
  await llm?.close();
});

describe('the store calls of one text-only reply', () => {
  it('read the session once and the provider settings once', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['Hello ', 'there.'], usage: { input: 5, output: 2 } });
    calls.reset();
    const response = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ role: 'assistant', content: 'Hello there.', status: 'complete' });
    const counts = calls.counts();
    expect(counts.getSession, JSON.stringify(counts)).toBe(1);
    // The provider settings: the current provider's name, then its row; and, once per process,
    // the model's context window learned from a refusal (none here).
    expect(counts.getValue, JSON.stringify(counts)).toBe(2);
    expect(counts['providers.get'], JSON.stringify(counts)).toBe(1);
    expect(counts['providers.list'] ?? 0).toBe(0);
    // The history the prompt is built from, once.
    expect(counts.listMessages, JSON.stringify(counts)).toBe(1);
  });

  it("of a session with a provider of its own read that provider's settings once, and not the current one", async () => {
    const session = await createSession(goosed);
    const chosen = await goosed.request(`/api/sessions/${session.id}`, { method: 'PATCH', json: { provider: 'openai', model: 'chosen-model' } });
    expect(chosen.status).toBe(200);
    llm.enqueue({ text: 'Chosen.' });
    calls.reset();
    const response = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } });
    expect(await response.json()).toMatchObject({ content: 'Chosen.', provider: 'openai', model: 'chosen-model' });
    const counts = calls.counts();
    expect(counts.getSession, JSON.stringify(counts)).toBe(1);
    // Not the current provider's name: only the chosen model's learned window (once per process).
    expect(counts.getValue ?? 0, JSON.stringify(counts)).toBe(1);
    expect(counts['providers.get'], JSON.stringify(counts)).toBe(1);
    expect(llm.requests.at(-1)!.model).toBe('chosen-model');
  });
});
