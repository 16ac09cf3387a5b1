import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { isSummaryRequest, type RecordedRequest } from './support/scripted-llm.js';
import { factEchoingModel, longMessage } from './support/context-script.js';

// Tool outputs in a long session on a model with an 8,000-token window (configured): one larger
// than a quarter of the window goes into the prompt cut (head and tail), old ones are elided, and
// the older turns summarised, while every call in a prompt keeps its result and the stored results
// stay whole. Prompts are read in OpenAI's chat format.

const WINDOW = 8000;
let harness: ReplyHarness;

beforeAll(async () => {
  harness = await startReplyHarness({
    settings: { execution_mode: 'auto' },
    extensions: [{ name: 'developer', config: { allow_shell: true } }],
    workDirectoryPrefix: 'goosed-context-tools-',
  });
  const { llm, goosed } = harness;
  const body = { name: 'openai', api_key: 'sk-test-key-for-scripted-llm-0001', model: 'scripted-model', base_url: `${llm.url}/v1`, context_limit: WINDOW };
  expect((await goosed.request('/api/providers', { method: 'POST', json: body })).status).toBe(200);
  llm.setContextLimit(WINDOW);
});
afterAll(() => harness?.close());

/** A new turn asks for the command its user message names; a tool result gets a short answer. */
function commandRunner(request: RecordedRequest) {
  const messages: any[] = request.body.messages;
  const last = messages.at(-1);
  if (last.role === 'user') {
    const command = /RUN: (.+)$/.exec(String(last.content))?.[1] ?? 'true';
    return { toolCalls: [{ name: 'developer__shell', arguments: { command } }] };
  }
  return { text: 'The command ran.' };
}

/** Every call in an OpenAI chat prompt is followed by its result, and every result follows its call. */
function expectPairsIntact(request: RecordedRequest): void {
  const messages: any[] = request.body.messages;
  const called = new Set<string>();
  for (const [index, message] of messages.entries()) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        called.add(call.id);
        const answered = messages.slice(index + 1).some((m) => m.role === 'tool' && m.tool_call_id === call.id);
        expect(answered, `call ${call.id} has its result`).toBe(true);
      }
    }
    if (message.role === 'tool') expect(called.has(message.tool_call_id), `result ${message.tool_call_id} follows its call`).toBe(true);
  }
}

describe('tool outputs in a long session', () => {
  it('cuts one too large for the window, elides old ones, summarises, and never parts a call from its result', async () => {
    const { llm, goosed } = harness;
    const fallback = factEchoingModel();
    llm.setFallback((request) => (isSummaryRequest(request) ? fallback(request) : commandRunner(request)));
    const session = await createSession(goosed, { working_directory: harness.workDir });
    const send = async (content: string) => {
      const response = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content } });
      expect(response.status, await response.clone().text()).toBe(200);
      return response.json();
    };

    // About 3,400 tokens of output: more than a quarter of the window.
    await send('FACT: the build runs on port 4317. Count far. RUN: seq 1 3000');
    const answering = llm.requests.at(-1)!;
    const shown = answering.body.messages.find((m: any) => m.role === 'tool').content;
    expect(shown).toMatch(/^1\n2\n3\n/);
    expect(shown).toMatch(/\n3000\n?$/);
    expect(shown).toContain('characters of this output left out of the prompt');
    expect(shown).not.toContain('\n1500\n');
    const [stored] = (await (await goosed.request(`/api/sessions/${session.id}/messages`)).json()).filter((m: any) => m.role === 'assistant');
    expect(stored.parts[0].result.content.split('\n').filter(Boolean)).toHaveLength(3000);

    // Outputs of about 1,000 tokens each: the old ones are elided first, then the turns summarised.
    for (let i = 0; i < 12; i++) await send(`${longMessage(i, 500)} RUN: seq ${i * 10000} ${i * 10000 + 900}`);
    const prompts = llm.requests.filter((request) => !isSummaryRequest(request) && !llm.refused.includes(request));
    for (const request of prompts) expectPairsIntact(request);
    expect(prompts.some((request) => JSON.stringify(request.body).includes('left out to save context'))).toBe(true);
    const summaries = await (await goosed.request(`/api/sessions/${session.id}/summaries`)).json();
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.at(-1).text).toContain('FACT: the build runs on port 4317.');
    expect(llm.refused).toHaveLength(0);

    // The store keeps every output whole.
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    const outputs = history.filter((m: any) => m.role === 'assistant').map((m: any) => m.parts.find((p: any) => p.type === 'tool_call').result.content);
    expect(outputs).toHaveLength(13);
    for (const output of outputs.slice(1)) expect(output.trim().split('\n')).toHaveLength(901);
  });
});
