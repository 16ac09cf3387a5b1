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
    // The provider settings: the current provider's name, then its row.
    expect(counts.getValue, JSON.stringify(counts)).toBe(1);
    expect(counts['providers.get'], JSON.stringify(counts)).toBe(1);
    expect(counts['providers.list'] ?? 0).toBe(0);
    // The history the prompt is built from, once.
    expect(counts.listMessages, JSON.stringify(counts)).toBe(1);
  });
});
