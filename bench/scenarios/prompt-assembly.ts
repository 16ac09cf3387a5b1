import { randomUUID } from 'node:crypto';
import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import type { Message } from '../../src/api/messages.js';
import type { SessionSummary } from '../../src/api/sessions.js';
import { defaultSettings } from '../../src/api/settings.js';
import { defaultModelSettings } from '../../src/config/server-options.js';
import { RuntimeSettings } from '../../src/config/runtime-settings.js';
import { ContextManager } from '../../src/agent/context/context-manager.js';
import { buildSystemPrompt } from '../../src/agent/system-prompt.js';
import { createLanguageModel } from '../../src/providers/language-model.js';
import { ModelWindows } from '../../src/providers/model-windows.js';
import type { ResolvedModel } from '../../src/providers/provider-settings.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Scenario } from '../scenario.js';
import { row } from '../support/report.js';
import { median, percentile } from '../support/stats.js';

// The prompt of a long session, assembled as the agent loop does before each model call
// (src/agent/context/reply-context.ts): the latest summary read from the store, the messages after
// it, counted, fitted to the window (past the threshold: old tool outputs elided), turned into the
// provider-level prompt. In process, without the model call: what goosed adds beside the model's
// own latency. Cold: a reply's first call (every part counted); warm: each call after it.

const WINDOW = 100_000;

function history(sessionId: string, count: number): Message[] {
  const messages: Message[] = [];
  const at = () => new Date().toISOString();
  for (let i = 0; messages.length < count; i++) {
    const question = `Step ${i}: look at src/module-${i}.ts and tell me what the function parse${i} does with its input. `.repeat(5);
    const user: Message = { id: randomUUID(), session_id: sessionId, role: 'user', content: question, parts: [{ type: 'text', text: question }], status: 'complete', created_at: at(), usage: null, error: null, reply_to: null, provider: null, model: null };
    const output = `export function parse${i}(input: string): string[] {\n  return input.split(',').map((part) => part.trim());\n}\n`.repeat(40);
    const answer = `parse${i} splits its input on commas and trims each part; it never fails on empty input. `.repeat(3);
    const assistant: Message = {
      id: randomUUID(), session_id: sessionId, role: 'assistant', content: answer, status: 'complete', created_at: at(), error: null, reply_to: user.id, provider: 'openai', model: 'gpt-4o',
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      parts: [
        { type: 'tool_call', id: `tc_${i}`, tool: 'developer__text_editor', arguments: { command: 'view', path: `src/module-${i}.ts` }, status: 'done', result: { content: output, is_error: false } },
        { type: 'text', text: answer },
      ],
    };
    messages.push(user, assistant);
  }
  return messages.slice(0, count);
}

export const promptAssembly: Scenario = {
  name: 'prompt-assembly',
  async run({ sizes, log }) {
    const { messages: count, samples } = sizes.promptAssembly;
    const store = new SqliteStore(':memory:');
    try {
      const created = new Date().toISOString();
      const session: SessionSummary = await store.createSession({ id: randomUUID(), name: 'long', working_directory: '/tmp', execution_mode: null, created_at: created });
      const all = history(session.id, count + 1);
      const past = all.slice(0, count);
      const current: Message = { ...all[count], role: 'assistant', parts: [], content: '', status: 'running' };
      // A summary of the first fifth: the prompt is system, summary, the messages after it.
      await store.addSummary({ id: randomUUID(), session_id: session.id, text: 'The user asked about the parse functions of src/module-*.ts. '.repeat(40), through_message_id: past[Math.floor(count / 5) - 1].id, tokens_before: 0, tokens_after: 0, created_at: created });

      const resolved: ResolvedModel = {
        provider: 'openai', modelId: 'bench-model', apiKey: 'sk-bench', configured: { context: WINDOW, output: null },
        model: await createLanguageModel({ name: 'openai', model: 'bench-model', apiKey: 'sk-bench', baseUrl: 'http://127.0.0.1:9/v1' }),
      };
      const settings = new RuntimeSettings(defaultSettings, null);
      const tools: LanguageModelV3FunctionTool[] = [{ type: 'function', name: 'developer__text_editor', description: 'View and edit files.', inputSchema: { type: 'object', properties: { command: { type: 'string' }, path: { type: 'string' } } } }];
      const system = buildSystemPrompt(session, []);
      const newManager = () => new ContextManager({ store, windows: new ModelWindows(store), settings, model: defaultModelSettings });
      const open = (manager: ContextManager) => manager.forReply({ session, history: past, publish: async () => {}, signal: new AbortController().signal });

      let promptMessages = 0;
      const cold: number[] = [];
      const warm: number[] = [];
      const warmContext = await open(newManager());
      await warmContext.prompt({ resolved, system, tools, message: current });
      for (let i = 0; i < samples; i++) {
        let started = performance.now();
        const context = await open(newManager());
        const prompt = await context.prompt({ resolved, system, tools, message: current });
        cold.push(performance.now() - started);
        promptMessages = prompt.length;
        started = performance.now();
        await warmContext.prompt({ resolved, system, tools, message: current });
        warm.push(performance.now() - started);
      }
      const usage = warmContext.usage(current)!;
      log(`${count} messages, ${promptMessages} prompt messages after the summary, ${usage.tokens} of ${WINDOW} tokens (old tool outputs elided)`);
      const rows = [
        row({ scenario: 'prompt-assembly', metric: `${count}-message session, each call (warm), median`, unit: 'ms', goosed: median(warm), target: '< 5', pass: median(warm) < 5 }),
        row({ scenario: 'prompt-assembly', metric: `${count}-message session, each call (warm), p95`, unit: 'ms', goosed: percentile(warm, 95) }),
        row({ scenario: 'prompt-assembly', metric: `${count}-message session, a reply's first call (cold), median`, unit: 'ms', goosed: median(cold), target: '< 5', pass: median(cold) < 5 }),
      ];
      return { rows, details: { messages: count, samples, prompt_messages: promptMessages, context: usage } };
    } finally {
      await store.close();
    }
  },
};
