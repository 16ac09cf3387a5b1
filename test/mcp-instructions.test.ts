// An MCP server's `instructions` (from its initialize result) reach the model: the system prompt
// the provider receives has them under a heading naming the extension, capped in length.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXTENSION_INSTRUCTIONS_CHARS } from '../src/agent/system-prompt.js';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { toolsOffered } from './support/extensions.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = fileURLToPath(new URL('./fixtures/mcp-instructions-server.ts', import.meta.url));

const GLOSSARY_INSTRUCTIONS = 'Call glossary__lookup before you explain any word.\nAnswer in one sentence.';
const LONG_INSTRUCTIONS = `BEGIN-VERBOSE ${'Read this carefully. '.repeat(1_000)}END-VERBOSE`;

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

/** The stdio fixture as an extension config, giving `instructions` when set. */
const fixtureConfig = (instructions?: string) => ({
  command: process.execPath,
  args: ['--import', 'tsx', SERVER],
  cwd: REPO_ROOT,
  env: instructions === undefined ? {} : { MCP_FIXTURE_INSTRUCTIONS: instructions },
  timeout_ms: 15_000,
});

beforeAll(async () => {
  harness = await startReplyHarness({
    workDirectoryPrefix: 'goosed-instructions-',
    extensions: [
      { name: 'developer', config: { allow_shell: false } },
      { name: 'glossary', config: fixtureConfig(GLOSSARY_INSTRUCTIONS) },
      { name: 'plain', config: fixtureConfig() },
      { name: 'verbose', config: fixtureConfig(LONG_INSTRUCTIONS) },
    ],
  });
  ({ llm, goosed, workDir } = harness);
});
afterAll(async () => {
  await harness?.close();
});

/** Sends a message and returns the model request it made (OpenAI chat completions). */
async function requestFor(mode: string): Promise<any> {
  const session = await createSession(goosed, { execution_mode: mode, working_directory: workDir });
  llm.enqueue({ text: 'ok' });
  const before = llm.requests.length;
  const response = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'what does "goose" mean?' } });
  expect(response.status).toBe(200);
  expect(llm.requests.length).toBe(before + 1);
  return llm.requests[before].body;
}

/** The system prompt as the provider received it. */
function systemPromptOf(body: any): string {
  const system = (body.messages as any[]).filter((message) => message.role === 'system' || message.role === 'developer');
  expect(system).toHaveLength(1);
  return String(system[0].content);
}

describe('MCP server instructions in the system prompt', () => {
  it("has each running extension's instructions under a heading naming it, the long ones cut with a note", async () => {
    const body = await requestFor('auto');
    expect(toolsOffered(body)).toEqual(expect.arrayContaining(['glossary__lookup', 'plain__lookup', 'verbose__lookup']));
    const prompt = systemPromptOf(body);

    expect(prompt).toContain(`## glossary\n${GLOSSARY_INSTRUCTIONS}`);
    // No instructions, no heading: neither for the MCP server that sent none nor for the built-in extension.
    expect(prompt).not.toContain('## plain');
    expect(prompt).not.toContain('## developer');

    expect(LONG_INSTRUCTIONS.length).toBeGreaterThan(MAX_EXTENSION_INSTRUCTIONS_CHARS);
    const verbose = prompt.slice(prompt.indexOf('## verbose\n') + '## verbose\n'.length);
    expect(verbose.startsWith(LONG_INSTRUCTIONS.slice(0, MAX_EXTENSION_INSTRUCTIONS_CHARS))).toBe(true);
    expect(verbose).not.toContain('END-VERBOSE');
    expect(verbose).toContain(`[The instructions of the verbose extension were cut here: ${MAX_EXTENSION_INSTRUCTIONS_CHARS} of ${LONG_INSTRUCTIONS.length} characters are shown.]`);
    // The prompt grew by the cap, not by the whole text.
    expect(prompt.length).toBeLessThan(MAX_EXTENSION_INSTRUCTIONS_CHARS + GLOSSARY_INSTRUCTIONS.length + 2_000);
  });

  it("leaves out a disabled extension's instructions, and every extension's in chat mode", async () => {
    const toggled = await goosed.request('/api/extensions/glossary/toggle', { method: 'PATCH' });
    expect((await toggled.json()).enabled).toBe(false);
    try {
      const prompt = systemPromptOf(await requestFor('auto'));
      expect(prompt).not.toContain('## glossary');
      expect(prompt).not.toContain(GLOSSARY_INSTRUCTIONS);
      expect(prompt).toContain('## verbose');
    } finally {
      await goosed.request('/api/extensions/glossary/toggle', { method: 'PATCH' });
    }

    const chat = await requestFor('chat');
    expect(toolsOffered(chat)).toEqual([]);
    expect(systemPromptOf(chat)).not.toContain('Extension instructions');

    // Enabled again: its server is started anew and its instructions are back.
    expect(systemPromptOf(await requestFor('auto'))).toContain(`## glossary\n${GLOSSARY_INSTRUCTIONS}`);
  });
});
