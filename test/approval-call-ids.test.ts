import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest, ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, startTestServer, temporaryDirectory, useScriptedProvider, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness, type ScriptedProviderName } from './support/reply-harness.js';
import { answerApproval, listMessages, waitForPendingApprovals, waitForReplyEnd } from './support/extensions.js';

// Providers repeat tool call ids (OpenAI-compatible servers, Ollama and Gemini send `call_1`, `0`
// or the tool name). An approval must answer exactly the call it was asked for: never a later call
// that happens to carry the same provider id, in the same reply or another.

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  harness = await startReplyHarness({ workDirectoryPrefix: 'goosed-call-ids-', extensions: [{ name: 'developer', config: { allow_shell: true } }] });
  ({ llm, goosed, workDir } = harness);
});
afterAll(() => harness?.close());

const shell = (id: string, command: string) => ({ id, name: 'developer__shell', arguments: { command } });
const send = (server: TestServer, sessionId: string, content: string) =>
  server.request(`/api/sessions/${sessionId}/messages`, { method: 'POST', json: { content } });
const allApprovals = async (server: TestServer, sessionId: string): Promise<any[]> => (await server.request(`/api/sessions/${sessionId}/approvals`)).json();

/** The pending approvals once there are `count`; fails at once when the reply ends without asking that many. */
async function asked(server: TestServer, sessionId: string, reply: Promise<Response>, count = 1): Promise<any[]> {
  let ended = false;
  void reply.then(() => (ended = true), () => (ended = true));
  const pending = await waitFor(
    async () => (ended ? null : ((await (await server.request(`/api/sessions/${sessionId}/approvals?status=pending`)).json()) as any[])),
    (approvals) => approvals === null || approvals.length >= count,
  );
  if (pending === null) throw new Error(`the reply ended without asking for ${count} approval(s)`);
  return pending;
}

interface SentPair {
  id: string;
  arguments: Record<string, unknown>;
  results: string[];
}

/** Every tool call in a model request, with the results the request pairs with it by id, in each wire format. */
function pairsSent(request: RecordedRequest): SentPair[] {
  const calls: { id: string; arguments: Record<string, unknown> }[] = [];
  const results: { id: string; content: string }[] = [];
  if (request.provider === 'google') {
    for (const content of request.body.contents as any[]) {
      for (const part of content.parts as any[]) {
        if (part.functionCall) calls.push({ id: part.functionCall.id, arguments: part.functionCall.args });
        if (part.functionResponse) results.push({ id: part.functionResponse.id, content: JSON.stringify(part.functionResponse.response) });
      }
    }
  } else {
    // OpenAI chat and Ollama: assistant messages list tool_calls, tool messages name a tool_call_id.
    for (const message of request.body.messages as any[]) {
      for (const call of message.tool_calls ?? []) {
        const args = call.function.arguments;
        calls.push({ id: call.id, arguments: typeof args === 'string' ? JSON.parse(args) : args });
      }
      if (message.role === 'tool') results.push({ id: message.tool_call_id, content: String(message.content) });
    }
  }
  return calls.map((call) => ({ ...call, results: results.filter((result) => result.id === call.id).map((result) => result.content) }));
}

/** One result per call and no id twice: each result pairs with exactly one call. */
function expectUnambiguous(pairs: SentPair[]): void {
  expect(new Set(pairs.map((pair) => pair.id)).size).toBe(pairs.length);
  for (const pair of pairs) expect(pair.results).toHaveLength(1);
}

const FORMATS: ScriptedProviderName[] = ['openai', 'ollama', 'google'];

describe.each(FORMATS)('a provider that repeats call ids (%s wire format)', (provider) => {
  beforeAll(() => useScriptedProvider(goosed, llm.url, provider));
  afterAll(() => useScriptedProvider(goosed, llm.url, 'openai'));

  it('three replies whose calls are all call_1 (allow, deny, allow) each ask once and do what was decided', async () => {
    const { id } = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
    const log = join(workDir, `${provider}-log.txt`);
    const steps = [
      { line: 'harmless', decision: 'allow_once' },
      { line: 'PWNED', decision: 'deny' },
      { line: 'third', decision: 'allow_once' },
    ];
    for (const [index, step] of steps.entries()) {
      llm.enqueue({ toolCalls: [shell('call_1', `echo ${step.line} >> ${log}`)] }, { text: `Reply ${index + 1}.` });
      const reply = send(goosed, id, `step ${index + 1}`);
      const [approval] = await asked(goosed, id, reply);
      expect(approval.arguments).toEqual({ command: `echo ${step.line} >> ${log}` });
      expect((await answerApproval(goosed, id, approval.id, step.decision)).status).toBe(200);
      expect(await (await reply).json()).toMatchObject({ status: 'complete', content: `Reply ${index + 1}.` });
    }
    expect(readFileSync(log, 'utf8')).toBe('harmless\nthird\n');

    // One approval per call, each naming its own call by goosed's id; the provider's id is kept aside.
    const approvals = await allApprovals(goosed, id);
    expect(approvals.map((approval) => approval.decision)).toEqual(['allow_once', 'deny', 'allow_once']);
    const calls = (await listMessages(goosed, id)).filter((message) => message.role === 'assistant').map((message) => message.parts[0]);
    expect(calls.map((call) => call.provider_call_id)).toEqual(['call_1', 'call_1', 'call_1']);
    expect(calls.map((call) => call.status)).toEqual(['done', 'denied', 'done']);
    expect(approvals.map((approval) => approval.tool_call_id)).toEqual(calls.map((call) => call.id));
    expect(new Set(calls.map((call) => call.id)).size).toBe(3);
    expectUnambiguous(pairsSent(llm.requests.at(-1)!));
  });

  it('two calls with the same id in one turn get an approval each, a result each, and pair correctly in the next request', async () => {
    const { id } = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
    const denied = join(workDir, `${provider}-denied-marker`);
    llm.enqueue({ toolCalls: [shell('call_1', 'echo allowed-output'), shell('call_1', `touch ${denied}`)] }, { text: 'Both answered.' });
    const reply = send(goosed, id, 'two calls, one id');
    const pending = await asked(goosed, id, reply, 2);
    expect(new Set(pending.map((approval) => approval.tool_call_id)).size).toBe(2);
    const byCommand = (command: string) => pending.find((approval) => approval.arguments.command === command)!;
    expect((await answerApproval(goosed, id, byCommand(`touch ${denied}`).id, 'deny')).status).toBe(200);
    expect((await answerApproval(goosed, id, byCommand('echo allowed-output').id, 'allow_once')).status).toBe(200);
    expect(await (await reply).json()).toMatchObject({ status: 'complete', content: 'Both answered.' });
    expect(existsSync(denied)).toBe(false);

    const [, assistant] = await listMessages(goosed, id);
    const [allowedPart, deniedPart] = assistant.parts;
    // The AI SDK's OpenAI chat adapter already renames an id repeated within one answer; the
    // Ollama and Gemini adapters pass it on.
    const repeatedId = provider === 'openai' ? expect.not.stringMatching(/^call_1$/) : 'call_1';
    expect(allowedPart).toMatchObject({ provider_call_id: 'call_1', status: 'done', result: { content: 'allowed-output\n' } });
    expect(deniedPart).toMatchObject({ provider_call_id: repeatedId, status: 'denied' });
    expect(allowedPart.id).not.toBe(deniedPart.id);
    expect(byCommand('echo allowed-output').tool_call_id).toBe(allowedPart.id);
    expect(byCommand(`touch ${denied}`).tool_call_id).toBe(deniedPart.id);

    // The model's next request: each call paired with its own result, under ids that differ.
    const pairs = pairsSent(llm.requests.at(-1)!);
    expectUnambiguous(pairs);
    const sentAllowed = pairs.find((pair) => pair.arguments.command === 'echo allowed-output')!;
    const sentDenied = pairs.find((pair) => pair.arguments.command === `touch ${denied}`)!;
    expect(sentAllowed.results[0]).toContain('allowed-output');
    expect(sentAllowed.results[0]).not.toContain('denied');
    expect(sentDenied.results[0]).toContain('denied');
    // The first call keeps the provider's id; a repeat of it is sent under goosed's.
    expect(sentAllowed.id).toBe('call_1');
    expect(sentDenied.id).toBe(deniedPart.provider_call_id === 'call_1' ? deniedPart.id : deniedPart.provider_call_id);
  });
});

describe('ids reused across different tools', () => {
  it('allowing a shell call as "0" does not let the next reply\'s "0", another tool, run unasked', async () => {
    const { id } = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
    const created = join(workDir, 'reused-id-created.txt');
    llm.enqueue({ toolCalls: [shell('0', 'echo harmless')] }, { text: 'Ran.' });
    const first = send(goosed, id, 'run something harmless');
    const [allowed] = await asked(goosed, id, first);
    await answerApproval(goosed, id, allowed.id, 'allow_once');
    expect((await (await first).json()).status).toBe('complete');

    llm.enqueue({ toolCalls: [{ id: '0', name: 'developer__create', arguments: { path: created, file_text: 'PWNED\n' } }] }, { text: 'Refused.' });
    const second = send(goosed, id, 'now create a file');
    const [again] = await asked(goosed, id, second);
    expect(again).toMatchObject({ tool: 'developer__create', status: 'pending' });
    expect(again.tool_call_id).not.toBe(allowed.tool_call_id);
    await answerApproval(goosed, id, again.id, 'deny');
    expect((await (await second).json()).status).toBe('complete');
    expect(existsSync(created)).toBe(false);
  });
});

describe('resuming after a restart', () => {
  it('finds the right pending call among calls that share the provider id, in the reply where one was denied', async () => {
    const dataDir = temporaryDirectory();
    const marker = (name: string) => join(workDir, `restart-${name}`);
    try {
      const first = await startScriptedServer(llm, { dataDir, shutdownGraceMs: 200, extensions: [{ name: 'developer', config: { allow_shell: true } }] });
      const { id } = await createSession(first, { execution_mode: 'approve', working_directory: workDir });
      // One reply: the model's first call_1 is denied, it tries two more calls, both call_1.
      llm.enqueue(
        { toolCalls: [shell('call_1', `touch ${marker('denied')}`)] },
        { toolCalls: [shell('call_1', `touch ${marker('refused')}`), shell('call_1', `touch ${marker('allowed')}`)] },
        { text: 'Done after the restart.' },
      );
      const reply = send(first, id, 'make files');
      reply.catch(() => {});
      const [denied] = await asked(first, id, reply);
      await answerApproval(first, id, denied.id, 'deny');
      const pending = await asked(first, id, reply, 2);
      expect(pending.map((approval) => approval.tool_call_id)).not.toContain(denied.tool_call_id);
      await first.close();

      const second = await startTestServer({ dataDir });
      try {
        const resumed = await waitForPendingApprovals(second, id, 2);
        expect(resumed.map((approval) => approval.id).sort()).toEqual(pending.map((approval) => approval.id).sort());
        const byMarker = (name: string) => resumed.find((approval) => approval.arguments.command === `touch ${marker(name)}`)!;
        expect((await answerApproval(second, id, byMarker('allowed').id, 'allow_once')).status).toBe(200);
        expect((await answerApproval(second, id, byMarker('refused').id, 'deny')).status).toBe(200);
        const message = await waitForReplyEnd(second, id);
        expect(message).toMatchObject({ status: 'complete', content: 'Done after the restart.' });
        const calls = message.parts.filter((part: any) => part.type === 'tool_call');
        expect(calls.map((part: any) => part.status)).toEqual(['denied', 'denied', 'done']);
        expect(calls[2].id).toBe(byMarker('allowed').tool_call_id);
        expect(existsSync(marker('allowed'))).toBe(true);
        expect(existsSync(marker('refused'))).toBe(false);
        expect(existsSync(marker('denied'))).toBe(false);
        expectUnambiguous(pairsSent(llm.requests.at(-1)!));
      } finally {
        await second.close();
      }
    } finally {
      removeDirectory(dataDir);
    }
  });
});

describe('history recorded before calls had ids of their own', () => {
  it('an export whose calls carry only the provider\'s repeated id still pairs each result with its call', async () => {
    // As an older goosed wrote it: `id` is the provider's, repeated within a turn and across replies.
    const call = (command: string, output: string) => ({
      type: 'tool_call', id: 'call_1', tool: 'developer__shell', arguments: { command }, status: 'done', result: { content: output, is_error: false },
    });
    const message = (role: string, parts: unknown[]) => ({
      role, content: '', parts, status: 'complete', created_at: '2026-03-01T10:00:00.000Z', usage: null, error: null,
    });
    const exported = {
      format: 'goosed.session', version: 1, exported_at: '2026-03-01T11:00:00.000Z',
      session: { name: 'older', working_directory: workDir, execution_mode: null, created_at: '2026-03-01T10:00:00.000Z' },
      messages: [
        message('user', [{ type: 'text', text: 'first' }]),
        message('assistant', [call('echo a', 'output a'), call('echo b', 'output b'), { type: 'text', text: 'Ran two.' }]),
        message('user', [{ type: 'text', text: 'second' }]),
        message('assistant', [call('echo c', 'output c'), { type: 'text', text: 'Ran one.' }]),
      ],
    };
    const imported = await goosed.request('/api/sessions/import', { method: 'POST', json: exported });
    expect(imported.status).toBe(201);
    const { id } = await imported.json();

    llm.enqueue({ text: 'Read the history.' });
    expect(await (await send(goosed, id, 'third')).json()).toMatchObject({ status: 'complete', content: 'Read the history.' });
    const pairs = pairsSent(llm.requests.at(-1)!);
    expectUnambiguous(pairs);
    expect(pairs.map((pair) => [pair.arguments.command, pair.results[0]])).toEqual([
      ['echo a', 'output a'],
      ['echo b', 'output b'],
      ['echo c', 'output c'],
    ]);
    expect(pairs[0].id).toBe('call_1');
  });
});
