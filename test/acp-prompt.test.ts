// `goosed acp` driven by the ACP SDK's client over real pipes: initialize, new sessions that are
// ordinary goosed sessions, prompts that stream, the stop reasons, modes, listing, and the protocol's
// error answers (a malformed line, an unknown method) after which the agent keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RequestError, type SessionUpdate } from '@agentclientprotocol/sdk';
import type { ApiClient } from './support/goosed.js';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { startAcpSetup, type AcpSetup, type AcpAgentProcess } from './support/acp-agent.js';

let setup: AcpSetup;
let llm: ScriptedLlm;
let root: string;
let workDir: string;
let acp: AcpAgentProcess;
let api: ApiClient;

beforeAll(async () => {
  setup = await startAcpSetup('goosed-acp-prompt-', { allow_shell: true });
  ({ llm, root, workDir, acp, api } = setup);
});

afterAll(() => setup?.close());

const newSession = async (cwd = workDir) => acp.agent.request('session/new', { cwd, mcpServers: [] });
const textOf = (updates: SessionUpdate[], kind: 'agent_message_chunk' | 'user_message_chunk' = 'agent_message_chunk') =>
  updates.map((update) => (update.sessionUpdate === kind && update.content.type === 'text' ? update.content.text : '')).join('');
const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as RequestError);

describe('goosed acp', () => {
  it('advertises what it does: loading, listing, text, resource links and embedded resources', () => {
    expect(acp.initialized).toMatchObject({
      protocolVersion: 1,
      agentInfo: { name: 'goosed' },
      agentCapabilities: { loadSession: true, promptCapabilities: { embeddedContext: true, image: false, audio: false }, sessionCapabilities: { list: {} } },
    });
  });

  it('makes a goosed session of session/new, streams a prompt into it, and ends the turn with end_turn and usage', async () => {
    const { sessionId, modes } = await newSession();
    expect(modes).toMatchObject({ currentModeId: 'smart_approval' });
    expect(modes!.availableModes.map((mode) => mode.id)).toEqual(['smart_approval', 'approve', 'auto', 'chat']);
    const listed = await (await api.request('/api/sessions')).json();
    expect(listed).toContainEqual(expect.objectContaining({ id: sessionId, working_directory: workDir }));

    llm.enqueue({ text: ['Hello', ' from', ' goosed.'], usage: { input: 10, output: 3 } });
    const response = await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Say hello\nand more' }] });
    expect(response).toEqual({ stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 } });
    const updates = acp.updatesOf(sessionId);
    expect(textOf(updates)).toBe('Hello from goosed.');
    // Named after the first line of its first prompt, in goosed and in the editor.
    expect(updates).toContainEqual({ sessionUpdate: 'session_info_update', title: 'Say hello' });

    const session = await (await api.request(`/api/sessions/${sessionId}`)).json();
    expect(session).toMatchObject({ name: 'Say hello', status: 'idle' });
    expect(session.messages.map((message: any) => [message.role, message.content])).toEqual([
      ['user', 'Say hello\nand more'],
      ['assistant', 'Hello from goosed.'],
    ]);
  });

  it('relays text as it comes: a chunk arrives while the reply still runs, and cancel ends the turn with cancelled', async () => {
    const { sessionId } = await newSession();
    llm.enqueue({ text: ['Thinking about it', ' for ever'], fault: { kind: 'stall_after', chunks: 1 } });
    const prompt = acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Think' }] });
    let settled = false;
    void prompt.finally(() => (settled = true));
    await acp.waitForUpdate((n) => n.sessionId === sessionId && n.update.sessionUpdate === 'agent_message_chunk');
    expect(settled).toBe(false);
    expect(textOf(acp.updatesOf(sessionId))).toBe('Thinking about it');

    await acp.agent.notify('session/cancel', { sessionId });
    expect(await prompt).toMatchObject({ stopReason: 'cancelled' });
    const session = await (await api.request(`/api/sessions/${sessionId}`)).json();
    expect(session.messages.at(-1)).toMatchObject({ role: 'assistant', status: 'cancelled', content: 'Thinking about it' });
  });

  it('a prompt request the client withdraws ($/cancel_request) stops the reply as session/cancel does', async () => {
    const { sessionId } = await newSession();
    llm.enqueue({ text: ['Going on', ' and on'], fault: { kind: 'stall_after', chunks: 1 } });
    const withdraw = new AbortController();
    const prompt = acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Go on' }] }, { cancellationSignal: withdraw.signal });
    await acp.waitForUpdate((n) => n.sessionId === sessionId && n.update.sessionUpdate === 'agent_message_chunk');
    withdraw.abort();
    expect(await prompt).toMatchObject({ stopReason: 'cancelled' });
    const session = await (await api.request(`/api/sessions/${sessionId}`)).json();
    expect(session.messages.at(-1)).toMatchObject({ role: 'assistant', status: 'cancelled', content: 'Going on' });
  });

  it('ends with max_turn_requests when goosed stops the reply at max_turns', async () => {
    const { sessionId } = await newSession();
    await acp.agent.request('session/set_mode', { sessionId, modeId: 'auto' });
    expect((await api.request('/api/config', { method: 'PATCH', json: { max_turns: 1 } })).status).toBe(200);
    try {
      llm.enqueue({ toolCalls: [{ id: 'call_view', name: 'developer__view', arguments: { path: '.' } }] });
      expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Look around' }] })).toMatchObject({
        stopReason: 'max_turn_requests',
      });
    } finally {
      await api.request('/api/config', { method: 'PATCH', json: { max_turns: 25 } });
    }
    const updates = acp.updatesOf(sessionId);
    expect(updates).toContainEqual(expect.objectContaining({ sessionUpdate: 'tool_call', kind: 'read', title: `Read ${workDir}`, locations: [{ path: workDir }] }));
    expect(updates).toContainEqual(expect.objectContaining({ sessionUpdate: 'tool_call_update', status: 'completed' }));
  });

  it("ends with refusal when the provider's content filter stops the answer; the text before it is kept", async () => {
    const { sessionId } = await newSession();
    llm.enqueue({ text: ['I would rather', ' not'], refusal: true });
    expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Something it refuses' }] })).toEqual({ stopReason: 'refusal' });
    expect(textOf(acp.updatesOf(sessionId))).toBe('I would rather not');
    const session = await (await api.request(`/api/sessions/${sessionId}`)).json();
    expect(session.messages.at(-1)).toMatchObject({ status: 'error', content: 'I would rather not', error: { code: 'refused' } });
  });

  it("fails the prompt request with goosed's own sentence when the reply fails", async () => {
    const { sessionId } = await newSession();
    llm.enqueue({ fault: { kind: 'status', status: 400, message: 'that model does not exist' } });
    const error = await errorOf(acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Hi' }] }));
    expect(error).toMatchObject({ code: -32603, data: { code: 'provider_bad_request' } });
    expect(error!.message).toContain('that model does not exist');
    const session = await (await api.request(`/api/sessions/${sessionId}`)).json();
    expect(session.messages.at(-1)).toMatchObject({ status: 'error', error: { code: 'provider_bad_request' } });
  });

  it('passes resource links and embedded resources on to the model, and refuses an image it never offered to take', async () => {
    const { sessionId } = await newSession();
    llm.enqueue({ text: 'Read them.' });
    await acp.agent.request('session/prompt', {
      sessionId,
      prompt: [
        { type: 'text', text: 'Compare ' },
        { type: 'resource_link', name: 'a.ts', uri: 'file:///src/a.ts' },
        { type: 'text', text: ' with the other one.' },
        { type: 'resource', resource: { uri: 'file:///src/b.ts', text: 'export const b = 1;', mimeType: 'text/x-typescript' } },
      ],
    });
    const sent = llm.requests.at(-1)!.body.messages.findLast((message: any) => message.role === 'user').content;
    expect(sent).toBe('Compare [@a.ts](file:///src/a.ts) with the other one.[@file:///src/b.ts]\n\n<context ref="file:///src/b.ts">\nexport const b = 1;\n</context>');
    expect(textOf(acp.updatesOf(sessionId), 'agent_message_chunk')).toBe('Read them.');

    const image = await errorOf(acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] }));
    expect(image).toMatchObject({ code: -32602 });
  });

  it("offers goosed's execution modes: set_mode changes the session's mode, an unknown mode is invalid params", async () => {
    const { sessionId } = await newSession();
    await acp.agent.request('session/set_mode', { sessionId, modeId: 'approve' });
    expect(await (await api.request(`/api/sessions/${sessionId}`)).json()).toMatchObject({ execution_mode: 'approve' });
    expect(await errorOf(acp.agent.request('session/set_mode', { sessionId, modeId: 'yolo' }))).toMatchObject({ code: -32602 });
    expect(await errorOf(acp.agent.request('session/set_mode', { sessionId: 'no-such-session', modeId: 'auto' }))).toMatchObject({ code: -32002 });
  });

  it('lists sessions, by working directory when asked', async () => {
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    const { sessionId } = await newSession(elsewhere);
    const all = await acp.agent.request('session/list', {});
    expect(all.sessions).toContainEqual(expect.objectContaining({ sessionId, cwd: elsewhere, title: 'New session' }));
    const here = await acp.agent.request('session/list', { cwd: workDir });
    expect(here.sessions.length).toBeGreaterThan(0);
    expect(here.sessions.every((session) => session.cwd === workDir)).toBe(true);
    expect((await acp.agent.request('session/list', { cwd: elsewhere })).sessions.map((session) => session.sessionId)).toEqual([sessionId]);
  });

  it('answers a malformed line and an unknown method with JSON-RPC errors, and stays up', async () => {
    acp.writeRaw('this is not JSON\n');
    const unknown = await errorOf(acp.agent.request('goosed/no_such_method', {}));
    expect(unknown).toMatchObject({ code: -32601 });
    expect(acp.stdout()).toContain('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
    const bad = await errorOf(acp.agent.request('session/new', { cwd: 42 } as never));
    expect(bad).toMatchObject({ code: -32602 });
    expect(await errorOf(acp.agent.request('session/load', { sessionId: 'no-such-session', cwd: workDir, mcpServers: [] }))).toMatchObject({ code: -32002 });
    expect(acp.child.exitCode).toBeNull();
    expect((await acp.agent.request('session/list', {})).sessions.length).toBeGreaterThan(0);
  });
});
