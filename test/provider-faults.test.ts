// Every provider fault the scripted LLM can play, through each streaming wire format: the reply
// ends in success or in exactly one clear `error` event, the text produced so far is kept, and the
// session takes the next message. One table of cases, run against every provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm, type ScriptedTurn } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startScriptedServer } from './support/reply-harness.js';
import { readSse, type SseFrame } from './support/sse-client.js';

const PROVIDERS = ['openai', 'anthropic', 'ollama', 'google'] as const;
/** Short enough to keep the suite fast, long enough that a retry-after of 1 s is honoured whole. */
const MODEL = { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 2000 }, idleTimeoutMs: 700 };

interface FaultCase {
  name: string;
  turns: ScriptedTurn[];
  /** `complete`, or the code of the one error event. */
  outcome: 'complete' | string;
  /** The assistant text the client saw and the store keeps. */
  text: string;
  /** Lower bound of the reply's duration, where a wait is part of what is tested. */
  minMs?: number;
  /** Wire formats that cannot express the fault. */
  notOver?: (typeof PROVIDERS)[number][];
}

const fail = (status: number, extra: Partial<Extract<NonNullable<ScriptedTurn['fault']>, { kind: 'status' }>> = {}): ScriptedTurn => ({ fault: { kind: 'status', status, ...extra } });
const threeWords = ['kept ', 'text ', 'lost'];

const CASES: FaultCase[] = [
  { name: '429 with retry-after 1 s, then success', turns: [fail(429, { retryAfterSeconds: 1 }), { text: 'after the wait' }], outcome: 'complete', text: 'after the wait', minMs: 950 },
  { name: '503, then 500, then success', turns: [fail(503), fail(500), { text: 'third time' }], outcome: 'complete', text: 'third time' },
  { name: '500 on every attempt', turns: [fail(500), fail(500), fail(500)], outcome: 'provider_unavailable', text: '' },
  { name: '502 with an HTML body on every attempt', turns: [1, 2, 3].map(() => fail(502, { body: '<html><body>Bad gateway</body></html>' })), outcome: 'provider_unavailable', text: '' },
  { name: '429 on every attempt', turns: [fail(429, { retryAfterSeconds: 0 }), fail(429, { retryAfterSeconds: 0 }), fail(429, { retryAfterSeconds: 0 })], outcome: 'provider_rate_limited', text: '' },
  { name: 'a reset before the first token, then success', turns: [{ text: threeWords, fault: { kind: 'reset_after', chunks: 0 } }, { text: 'second try' }], outcome: 'complete', text: 'second try' },
  { name: 'a reset mid-stream', turns: [{ text: threeWords, fault: { kind: 'reset_after', chunks: 2 } }], outcome: 'provider_connection_failed', text: 'kept text ' },
  { name: 'silence mid-stream without closing', turns: [{ text: threeWords, fault: { kind: 'stall_after', chunks: 2 } }], outcome: 'provider_timeout', text: 'kept text ' },
  { name: 'silence before the first token, then success', turns: [{ text: threeWords, fault: { kind: 'stall_after', chunks: 0 } }, { text: 'awake now' }], outcome: 'complete', text: 'awake now' },
  { name: 'a malformed frame mid-stream', turns: [{ text: threeWords, fault: { kind: 'malformed_after', chunks: 2 } }], outcome: 'provider_invalid_response', text: 'kept text ' },
  { name: 'a 401 (not retried)', turns: [fail(401)], outcome: 'provider_auth_failed', text: '' },
  // Ollama has no content filter to end an answer with.
  { name: 'a refusal by the content filter (not retried)', turns: [{ text: threeWords.slice(0, 2), refusal: true }], outcome: 'refused', text: 'kept text ', notOver: ['ollama'] },
];

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm.close();
});

for (const provider of PROVIDERS) {
  describe(`provider faults over the ${provider} wire format`, () => {
    let goosed: TestServer;
    beforeAll(async () => {
      goosed = await startScriptedServer(llm, { model: MODEL, provider });
    });
    afterAll(async () => {
      await goosed.close();
    });

    for (const fault of CASES.filter((c) => !c.notOver?.includes(provider))) {
      it(fault.name, async () => {
        const session = await createSession(goosed);
        llm.enqueue(...fault.turns);
        const started = Date.now();
        const response = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'hi' } });
        expect(response.status).toBe(200);
        const frames = await readSse(response);
        const elapsed = Date.now() - started;
        expect(llm.pending, 'every scripted turn was asked for').toBe(0);
        if (fault.minMs) expect(elapsed).toBeGreaterThanOrEqual(fault.minMs);

        expectOneEnding(frames, fault.outcome);
        const seenText = frames.filter((f) => f.event === 'content_delta').map((f) => f.data.delta).join('');
        expect(seenText).toBe(fault.text);

        const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
        expect(history).toHaveLength(2);
        expect(history[1]).toMatchObject({ role: 'assistant', content: fault.text, status: fault.outcome === 'complete' ? 'complete' : 'error' });
        if (fault.outcome !== 'complete') {
          expect(history[1].error.code).toBe(fault.outcome);
          expect(history[1].error.error.length).toBeGreaterThan(10);
        }

        // The session is idle and usable.
        llm.enqueue({ text: 'still here' });
        const next = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'again' } });
        expect(next.status).toBe(200);
        expect((await next.json()).content).toBe('still here');
      });
    }
  });
}

/** Exactly one terminal event, last: message_complete for success, else one `error` with the code. */
function expectOneEnding(frames: SseFrame[], outcome: string): void {
  const endings = frames.filter((f) => f.event === 'message_complete' || f.event === 'error');
  expect(endings.map((f) => f.event)).toEqual([outcome === 'complete' ? 'message_complete' : 'error']);
  expect(frames.at(-1)).toBe(endings[0]);
  if (outcome === 'complete') {
    expect(endings[0].data.message.status).toBe('complete');
  } else {
    expect(endings[0].data.code).toBe(outcome);
    expect(endings[0].data.error).not.toContain('sk-test-key-for-scripted-llm-0001');
  }
}
