// Tool calls through `goosed acp`: a call goosed's execution mode asks about becomes
// session/request_permission, and each of the four options does what it says (the always-options
// remembered as /api/permissions shows); an approval answered from the web side withdraws the
// editor's request; cancel stops a running tool; file edits carry diffs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { waitFor, type ApiClient } from './support/goosed.js';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { processIsRunning, toolResultsSent } from './support/extensions.js';
import { startAcpSetup, type AcpSetup, type AcpAgentProcess, type PermissionAsk } from './support/acp-agent.js';

let setup: AcpSetup;
let llm: ScriptedLlm;
let workDir: string;
let acp: AcpAgentProcess;
let api: ApiClient;

beforeAll(async () => {
  setup = await startAcpSetup('goosed-acp-tools-', { allow_shell: true });
  ({ llm, workDir, acp, api } = setup);
});

afterAll(() => setup?.close());

const newSession = async () => (await acp.agent.request('session/new', { cwd: workDir, mcpServers: [] })).sessionId;
const select = (ask: PermissionAsk, optionId: string) => ask.answer({ outcome: { outcome: 'selected', optionId } });
const json = async (path: string, init?: Parameters<ApiClient['request']>[1]) => (await api.request(path, init)).json();
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
const toolUpdates = (sessionId: string) =>
  acp.updatesOf(sessionId).filter((update): update is Extract<SessionUpdate, { sessionUpdate: 'tool_call' | 'tool_call_update' }> =>
    update.sessionUpdate === 'tool_call' || update.sessionUpdate === 'tool_call_update',
  );

/** A prompt whose model runs one shell command that appends `word` to the log, then (unless cancelled) says "done". */
function promptShell(sessionId: string, log: string, word: string, { cancelled = false } = {}) {
  llm.enqueue({ toolCalls: [{ id: `call_${word}`, name: 'developer__shell', arguments: { command: `echo ${word} >> ${log}` } }] });
  if (!cancelled) llm.enqueue({ text: 'done' });
  return acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: `run ${word}` }] });
}

describe('a shell call in smart_approval mode', () => {
  it('asks permission with the four options, and each does what it says; the always-options are remembered', async () => {
    const sessionId = await newSession();
    const log = join(workDir, 'runs.log');

    // Allow once: it runs, and the next call asks again.
    let prompt = promptShell(sessionId, log, 'first');
    let ask = await acp.nextPermission();
    expect(ask.params).toMatchObject({
      sessionId,
      toolCall: { title: `\`echo first >> ${log}\``, kind: 'execute', status: 'pending', rawInput: { command: `echo first >> ${log}` } },
    });
    expect(ask.params.options.map((option) => [option.optionId, option.kind])).toEqual([
      ['allow_once', 'allow_once'],
      ['allow_always', 'allow_always'],
      ['reject_once', 'reject_once'],
      ['reject_always', 'reject_always'],
    ]);
    const toolCallId = ask.params.toolCall.toolCallId;
    select(ask, 'allow_once');
    expect(await prompt).toMatchObject({ stopReason: 'end_turn' });
    expect(lines(log)).toEqual(['first']);
    expect(toolUpdates(sessionId)).toEqual([
      expect.objectContaining({ sessionUpdate: 'tool_call', toolCallId, kind: 'execute', status: 'pending' }),
      { sessionUpdate: 'tool_call_update', toolCallId, status: 'in_progress' },
      expect.objectContaining({ sessionUpdate: 'tool_call_update', toolCallId, status: 'completed', content: [{ type: 'content', content: { type: 'text', text: '(no output)' } }] }),
    ]);
    const [approval] = await json(`/api/sessions/${sessionId}/approvals`);
    expect(approval).toMatchObject({ tool_call_id: toolCallId, status: 'resolved', decision: 'allow_once' });

    // Deny: it does not run, and the model is told so.
    prompt = promptShell(sessionId, log, 'second');
    select(await acp.nextPermission(), 'reject_once');
    expect(await prompt).toMatchObject({ stopReason: 'end_turn' });
    expect(lines(log)).toEqual(['first']);
    expect(toolUpdates(sessionId).at(-1)).toMatchObject({ status: 'failed' });
    expect(toolResultsSent(llm.requests.at(-1)!.body).at(-1)).toContain('The user denied this call');
    expect(await json('/api/permissions')).toEqual([]);

    // Always allow: it runs, goosed remembers, and the next call runs without asking.
    prompt = promptShell(sessionId, log, 'third');
    select(await acp.nextPermission(), 'allow_always');
    expect(await prompt).toMatchObject({ stopReason: 'end_turn' });
    expect(await json('/api/permissions')).toEqual([expect.objectContaining({ tool: 'developer__shell', decision: 'always_allow' })]);
    expect(await promptShell(sessionId, log, 'fourth')).toMatchObject({ stopReason: 'end_turn' });
    expect(lines(log)).toEqual(['first', 'third', 'fourth']);

    // Always deny (once the remembered allow is forgotten): it does not run, nor does the next call, unasked.
    expect((await api.request('/api/permissions/developer__shell', { method: 'DELETE' })).status).toBe(204);
    prompt = promptShell(sessionId, log, 'fifth');
    select(await acp.nextPermission(), 'reject_always');
    expect(await prompt).toMatchObject({ stopReason: 'end_turn' });
    expect(await json('/api/permissions')).toEqual([expect.objectContaining({ tool: 'developer__shell', decision: 'always_deny' })]);
    expect(await promptShell(sessionId, log, 'sixth')).toMatchObject({ stopReason: 'end_turn' });
    expect(lines(log)).toEqual(['first', 'third', 'fourth']);
    expect(toolResultsSent(llm.requests.at(-1)!.body).at(-1)).toContain('denied developer__shell permanently');

    const decisions = (await json(`/api/sessions/${sessionId}/approvals`)).map((a: any) => a.decision);
    expect(decisions).toEqual(['allow_once', 'deny', 'always_allow', 'always_deny']);
    await api.request('/api/permissions/developer__shell', { method: 'DELETE' });
  });

  it('is withdrawn from the editor when the approval is answered on the web side, whose answer stands', async () => {
    const sessionId = await newSession();
    const log = join(workDir, 'web.log');
    const prompt = promptShell(sessionId, log, 'web');
    const ask = await acp.nextPermission();
    const [pending] = await json(`/api/sessions/${sessionId}/approvals?status=pending`);
    const withdrawn = new Promise<void>((resolve) => ask.signal.addEventListener('abort', () => resolve(), { once: true }));
    expect((await api.request(`/api/sessions/${sessionId}/approvals/${pending.id}`, { method: 'POST', json: { decision: 'allow_once' } })).status).toBe(200);
    await withdrawn;
    // What a client answers to a withdrawn request.
    ask.answer({ outcome: { outcome: 'cancelled' } });
    expect(await prompt).toMatchObject({ stopReason: 'end_turn' });
    expect(lines(log)).toEqual(['web']);
    const [approval] = await json(`/api/sessions/${sessionId}/approvals`);
    expect(approval).toMatchObject({ status: 'resolved', decision: 'allow_once' });
  });

  it('a permission request the client cancels denies the call; with its turn cancelled too, the turn ends cancelled', async () => {
    const sessionId = await newSession();
    const log = join(workDir, 'cancelled.log');
    let prompt = promptShell(sessionId, log, 'denied');
    (await acp.nextPermission()).answer({ outcome: { outcome: 'cancelled' } });
    expect(await prompt).toMatchObject({ stopReason: 'end_turn' });
    expect((await json(`/api/sessions/${sessionId}/approvals`))[0]).toMatchObject({ status: 'resolved', decision: 'deny' });

    prompt = promptShell(sessionId, log, 'never', { cancelled: true });
    const ask = await acp.nextPermission();
    // As the protocol has it: the client cancels the turn, then answers its open requests with cancelled.
    await acp.agent.notify('session/cancel', { sessionId });
    ask.answer({ outcome: { outcome: 'cancelled' } });
    expect(await prompt).toMatchObject({ stopReason: 'cancelled' });
    expect(lines(log)).toEqual([]);
    expect((await json(`/api/sessions/${sessionId}`)).messages.at(-1)).toMatchObject({ status: 'cancelled' });
  });
});

describe('in auto mode', () => {
  it('cancel stops a running shell command: its processes are killed and the turn ends with cancelled', async () => {
    const sessionId = await newSession();
    await acp.agent.request('session/set_mode', { sessionId, modeId: 'auto' });
    const started = join(workDir, 'long-started');
    const marker = join(workDir, 'long-finished');
    llm.enqueue({ toolCalls: [{ id: 'call_long', name: 'developer__shell', arguments: { command: `echo $$ > ${started}; sleep 30; touch ${marker}` } }] });
    const prompt = acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'take your time' }] });
    const pid = Number(await waitFor(() => (existsSync(started) ? readFileSync(started, 'utf8').trim() : ''), Boolean));
    expect(processIsRunning(pid)).toBe(true);

    await acp.agent.notify('session/cancel', { sessionId });
    expect(await prompt).toMatchObject({ stopReason: 'cancelled' });
    await waitFor(() => !processIsRunning(pid));
    expect(existsSync(marker)).toBe(false);
    expect(toolUpdates(sessionId).at(-1)).toMatchObject({ sessionUpdate: 'tool_call_update', status: 'failed' });
    const session = await json(`/api/sessions/${sessionId}`);
    expect(session.messages.at(-1)).toMatchObject({ status: 'cancelled', parts: [expect.objectContaining({ status: 'cancelled' })] });
  });

  it('file edits show as edits with diffs: create (no old text), str_replace (old and new), insert', async () => {
    const sessionId = await newSession();
    await acp.agent.request('session/set_mode', { sessionId, modeId: 'auto' });
    const file = join(workDir, 'notes.txt');
    writeFileSync(join(workDir, 'existing.txt'), 'alpha\nbeta\n');
    llm.enqueue(
      { toolCalls: [{ id: 'call_create', name: 'developer__create', arguments: { path: 'notes.txt', file_text: 'one\ntwo\n' } }] },
      { toolCalls: [{ id: 'call_replace', name: 'developer__str_replace', arguments: { path: file, old_str: 'two', new_str: 'TWO' } }] },
      { toolCalls: [{ id: 'call_insert', name: 'developer__insert', arguments: { path: 'existing.txt', insert_line: 1, new_str: 'inserted' } }] },
      { text: 'edited' },
    );
    expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'edit' }] })).toMatchObject({ stopReason: 'end_turn' });
    expect(readFileSync(file, 'utf8')).toBe('one\nTWO\n');

    const calls = toolUpdates(sessionId).filter((update) => update.sessionUpdate === 'tool_call');
    expect(calls.map((call) => [call.kind, call.title])).toEqual([
      ['edit', `Write ${file}`],
      ['edit', `Edit ${file}`],
      ['edit', `Insert into ${join(workDir, 'existing.txt')} after line 1`],
    ]);
    expect(calls.map((call) => call.content)).toEqual([
      [{ type: 'diff', path: file, oldText: null, newText: 'one\ntwo\n' }],
      [{ type: 'diff', path: file, oldText: 'two', newText: 'TWO' }],
      [{ type: 'diff', path: join(workDir, 'existing.txt'), oldText: '', newText: 'inserted' }],
    ]);
    expect(calls[0].locations).toEqual([{ path: file }]);
    const results = toolUpdates(sessionId).filter((update) => update.sessionUpdate === 'tool_call_update' && update.status === 'completed');
    expect(results).toHaveLength(3);
    expect(results[1].content![0]).toEqual({ type: 'diff', path: file, oldText: 'two', newText: 'TWO' });
    expect(results[1].content![1]).toMatchObject({ type: 'content', content: { type: 'text', text: expect.stringContaining('TWO') } });
  });
});
