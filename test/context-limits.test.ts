import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness, type ScriptedProviderName } from './support/reply-harness.js';
import { isSummaryRequest, type RecordedRequest } from './support/scripted-llm.js';
import { factEchoingModel, factsIn, longMessage } from './support/context-script.js';
import { readSse } from './support/sse-client.js';

// Long sessions on a model with a small window (3,000 tokens, the scripted LLM counting a
// request's bytes over four) that refuses a longer prompt in its provider's own words: every
// message gets its reply, the history keeps everything, and a fact of the first message is still
// there for the model after the older turns were summarised.

const WINDOW = 3000;
let harness: ReplyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const texts = (request: RecordedRequest) => JSON.stringify(request.body);
const normalRequests = (requests: RecordedRequest[]) => requests.filter((request) => !isSummaryRequest(request));

async function longSession(provider: ScriptedProviderName, configure?: { context_limit: number }) {
  harness = await startReplyHarness({ provider });
  const { llm, goosed } = harness;
  if (configure) {
    const body = { name: provider, api_key: 'sk-test-key-for-scripted-llm-0001', model: 'scripted-model', base_url: `${llm.url}${provider === 'ollama' ? '/api' : provider === 'google' ? '/v1beta' : '/v1'}`, ...configure };
    expect((await goosed.request('/api/providers', { method: 'POST', json: body })).status).toBe(200);
  }
  llm.setContextLimit(WINDOW);
  llm.setFallback(factEchoingModel((request) => (factsIn(request).length > 0 ? `I know: ${factsIn(request).join(' ')}` : 'Noted.')));
  const session = await createSession(goosed);
  const events = readSse(await goosed.request(`/api/sessions/${session.id}/events`), (_frame, frames) => frames.filter((f) => f.event === 'message_complete').length >= 17, 60_000);
  const replies = [];
  for (let i = 0; i < 16; i++) {
    const content = longMessage(i, 400, i === 0 ? 'FACT: the deploy key is called ZEBRA-42. ' : '');
    const response = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content } });
    expect(response.status, `message ${i}: ${await response.clone().text()}`).toBe(200);
    replies.push(await response.json());
  }
  const question = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'What is the deploy key called?' } });
  expect(question.status).toBe(200);
  return { session, replies, answer: await question.json(), frames: await events };
}

describe('a long session on a small-window model', () => {
  for (const provider of ['openai', 'anthropic', 'google', 'ollama'] as const) {
    it(`${provider}: every message gets a reply, with one refusal before the window is learned`, async () => {
      const { session, replies, answer, frames } = await longSession(provider);
      const { llm, goosed } = harness!;
      expect(replies.every((reply) => reply.status === 'complete')).toBe(true);
      // The model's window was not known (not in the catalogue; Ollama's default is larger): the
      // provider's refusal stated it, and it was never passed again.
      expect(llm.refused).toHaveLength(1);
      const after = await (await goosed.request(`/api/sessions/${session.id}`)).json();
      expect(after.context.limit).toBe(WINDOW);
      expect(after.context.tokens).toBeGreaterThan(0);
      expect(after.context.tokens).toBeLessThan(WINDOW);

      // The history is whole: every message, in order.
      const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
      expect(history).toHaveLength(34);
      expect(history.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content.slice(0, 12))).toEqual([
        ...Array.from({ length: 16 }, (_, i) => longMessage(i, 400, i === 0 ? 'FACT: the deploy key is called ZEBRA-42. ' : '').slice(0, 12)),
        'What is the d',
      ].map((text) => text.slice(0, 12)));

      // The older turns were summarised (in the store, announced to followers); the last prompt is
      // system, latest summary, the messages after it: the first message is gone from it, its fact is not.
      const summaries = await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json();
      expect(summaries.length).toBeGreaterThan(0);
      const compacted = frames.filter((frame) => frame.event === 'context_compacted');
      expect(compacted.map((frame) => frame.data.summary.id)).toEqual(summaries.map((summary: { id: string }) => summary.id));
      for (const frame of compacted) expect(frame.data.tokens_after).toBeLessThan(frame.data.tokens_before);
      const last = normalRequests(llm.requests).at(-1)!;
      expect(texts(last)).not.toContain('Message 0 goes on');
      expect(texts(last)).toContain(summaries.at(-1).text);
      expect(answer.content).toContain('ZEBRA-42');
      const complete = frames.filter((frame) => frame.event === 'message_complete');
      expect(complete.at(-1)!.data.context).toEqual(after.context);
    });
  }

  it('a model with a configured context_limit is never refused', async () => {
    const { replies, answer } = await longSession('openai', { context_limit: WINDOW });
    expect(replies.every((reply) => reply.status === 'complete')).toBe(true);
    expect(harness!.llm.refused).toHaveLength(0);
    expect(answer.content).toContain('ZEBRA-42');
  });
});
