// Many tool calls in one model turn run in parallel, all on the reply's one cancel signal: none of
// them may make Node warn about piled-up listeners (MaxListenersExceededWarning), and a cancel
// still reaches every one of them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { stdioFixtureConfig, toolResultsSent, waitForReplyEnd } from './support/extensions.js';

const PARALLEL_CALLS = 15;

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;
let warnings: Error[];
const recordWarning = (warning: Error) => warnings.push(warning);

beforeAll(async () => {
  harness = await startReplyHarness({
    workDirectoryPrefix: 'goosed-parallel-',
    extensions: [
      { name: 'developer', config: { allow_shell: true } },
      { name: 'fixture', config: stdioFixtureConfig() },
    ],
  });
  ({ llm, goosed, workDir } = harness);
});
afterAll(async () => {
  await harness?.close();
});
// goosed runs in this process (startTestServer), so its warnings are this process's.
beforeEach(() => {
  warnings = [];
  process.on('warning', recordWarning);
});
afterEach(() => {
  process.off('warning', recordWarning);
});

/** Warnings are emitted on the next tick; give them one before looking. */
const settledWarnings = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  return warnings.map((warning) => `${warning.name}: ${warning.message}`);
};

const send = async (sessionId: string, content: string) => {
  const response = await goosed.request(`/api/sessions/${sessionId}/messages`, { method: 'POST', json: { content } });
  expect(response.status).toBe(200);
  return response.json();
};

describe(`${PARALLEL_CALLS} tool calls in one turn`, () => {
  it('shell calls all complete, with no listener warning', async () => {
    const session = await createSession(goosed, { execution_mode: 'auto', working_directory: workDir });
    const calls = Array.from({ length: PARALLEL_CALLS }, (_, i) => ({ id: `call_shell_${i}`, name: 'developer__shell', arguments: { command: `sleep 0.2; echo call ${i}` } }));
    llm.enqueue({ toolCalls: calls }, { text: 'all done' });
    const before = llm.requests.length;
    const reply = await send(session.id, 'run them all');
    expect(reply.content).toBe('all done');
    const results = toolResultsSent(llm.requests[before + 1].body);
    expect(results.sort()).toEqual(calls.map((_, i) => `call ${i}\n`).sort());
    expect(await settledWarnings()).toEqual([]);
  });

  it('MCP calls all complete, with no listener warning', async () => {
    const session = await createSession(goosed, { execution_mode: 'auto', working_directory: workDir });
    const calls = Array.from({ length: PARALLEL_CALLS }, (_, i) => ({ id: `call_mcp_${i}`, name: 'fixture__slow', arguments: { ms: 200, steps: 2 } }));
    llm.enqueue({ toolCalls: calls }, { text: 'all slept' });
    const before = llm.requests.length;
    const reply = await send(session.id, 'sleep a lot');
    expect(reply.content).toBe('all slept');
    expect(toolResultsSent(llm.requests[before + 1].body)).toEqual(calls.map(() => 'slept 200 ms'));
    expect(await settledWarnings()).toEqual([]);
  });

  it('calls waiting for approval are all cancelled by one cancel, with no listener warning', async () => {
    const session = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
    const calls = Array.from({ length: PARALLEL_CALLS }, (_, i) => ({ id: `call_wait_${i}`, name: 'developer__shell', arguments: { command: `echo ${i}` } }));
    llm.enqueue({ toolCalls: calls });
    const stream = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'ask me' } });
    expect(stream.status).toBe(200);
    await waitFor(
      async () => (await goosed.request(`/api/sessions/${session.id}/approvals?status=pending`)).json(),
      (pending: unknown[]) => pending.length === PARALLEL_CALLS,
    );
    expect((await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' })).status).toBe(200);
    const message = await waitForReplyEnd(goosed, session.id);
    await stream.body?.cancel();
    expect(message.status).toBe('cancelled');
    const approvals = await (await goosed.request(`/api/sessions/${session.id}/approvals`)).json();
    expect(approvals.map((approval: { status: string }) => approval.status)).toEqual(calls.map(() => 'cancelled'));
    expect(await settledWarnings()).toEqual([]);
  });
});
