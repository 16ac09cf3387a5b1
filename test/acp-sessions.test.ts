// One agent, whichever door: `goosed acp` sessions are ordinary goosed sessions, continued by a
// later `goosed acp` process; several `goosed acp` on one data directory share one goosed (a
// running one, or one started in the background that stops once idle and is started again when
// needed); a prompt from the editor streams live to the session's other followers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { readRuntimeFile } from '../src/config/runtime-file.js';
import { apiClient, removeDirectory, temporaryDirectory, useScriptedProvider, waitFor } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { addExtension, processIsRunning } from './support/extensions.js';
import { readSse, isReplyEnd } from './support/sse-client.js';
import { acpDirectories, backgroundServer, startAcpAgent, stopBackgroundServer, type AcpAgentProcess } from './support/acp-agent.js';

let bundle: GoosedBundle;
let llm: ScriptedLlm;
beforeAll(async () => {
  [bundle, llm] = await Promise.all([buildGoosedBundle(), startScriptedLlm()]);
});
afterAll(async () => {
  await llm?.close();
  bundle?.remove();
});

let root: string;
let directories: { dataDir: string; configFile: string };
let workDir: string;
const agents: AcpAgentProcess[] = [];
const start = async (options: { idleExit?: number } = {}) => {
  const agent = await startAcpAgent(bundle, { ...directories, ...options });
  agents.push(agent);
  return agent;
};
const configure = async () => {
  const server = await backgroundServer(directories.dataDir);
  await useScriptedProvider(server.api, llm.url);
  return server;
};

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  await stopBackgroundServer(directories.dataDir);
  removeDirectory(root);
});
const fresh = () => {
  root = temporaryDirectory('goosed-acp-sessions-');
  directories = acpDirectories(root);
  workDir = join(root, 'project');
  mkdirSync(workDir);
};

const textOf = (updates: SessionUpdate[]) =>
  updates.map((update) => (update.sessionUpdate === 'agent_message_chunk' && update.content.type === 'text' ? update.content.text : '')).join('');

describe('a session continued by a later goosed acp', () => {
  it('session/load in a new process (and a new goosed) replays the history, and the next prompt sees it', async () => {
    fresh();
    const first = await start();
    const server = await configure();
    await addExtension(server.api, { name: 'developer', config: {} });
    const { sessionId } = await first.agent.request('session/new', { cwd: workDir, mcpServers: [] });
    llm.enqueue({ toolCalls: [{ id: 'call_look', name: 'developer__view', arguments: { path: '.' } }] }, { text: 'The directory is empty.' });
    expect(await first.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'What is here?' }] })).toMatchObject({ stopReason: 'end_turn' });
    await first.close();
    await stopBackgroundServer(directories.dataDir);

    const second = await start();
    const { modes } = await second.agent.request('session/load', { sessionId, cwd: workDir, mcpServers: [] });
    expect(modes).toMatchObject({ currentModeId: 'smart_approval' });
    // A goosed of its own: the first one was stopped.
    expect((await backgroundServer(directories.dataDir)).pid).not.toBe(server.pid);
    const replayed = second.updatesOf(sessionId);
    expect(replayed.map((update) => update.sessionUpdate)).toEqual(['user_message_chunk', 'tool_call', 'agent_message_chunk']);
    expect(replayed[0]).toMatchObject({ content: { type: 'text', text: 'What is here?' } });
    expect(replayed[1]).toMatchObject({ kind: 'read', status: 'completed', title: `Read ${workDir}`, rawInput: { path: '.' } });
    expect(textOf(replayed)).toBe('The directory is empty.');

    llm.enqueue({ text: 'Still empty.' });
    expect(await second.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'And now?' }] })).toMatchObject({ stopReason: 'end_turn' });
    const sent = llm.requests.at(-1)!.body.messages.map((message: any) => [message.role, typeof message.content === 'string' ? message.content : null]);
    expect(sent).toEqual(expect.arrayContaining([['user', 'What is here?'], ['assistant', 'The directory is empty.'], ['user', 'And now?']]));
  });
});

describe('several doors on one data directory', () => {
  it('two goosed acp started at once both answer, through one goosed', async () => {
    fresh();
    const [one, two] = await Promise.all([start(), start()]);
    const server = await configure();
    const sessions = await Promise.all([one, two].map((agent) => agent.agent.request('session/new', { cwd: workDir, mcpServers: [] })));
    llm.enqueue({ text: 'one' }, { text: 'two' });
    const answers = await Promise.all(
      [one, two].map((agent, i) => agent.agent.request('session/prompt', { sessionId: sessions[i].sessionId, prompt: [{ type: 'text', text: `hello ${i}` }] })),
    );
    expect(answers.map((answer) => answer.stopReason)).toEqual(['end_turn', 'end_turn']);
    expect([textOf(one.updatesOf(sessions[0].sessionId)), textOf(two.updatesOf(sessions[1].sessionId))].sort()).toEqual(['one', 'two']);
    const listed = (await (await server.api.request('/api/sessions')).json()).map((session: any) => session.id);
    expect(listed.sort()).toEqual(sessions.map((session) => session.sessionId).sort());
    expect(readRuntimeFile(directories.dataDir)?.pid).toBe(server.pid);
  });

  it('with a goosed already serving the data directory, works through it: the web-visible session gets the prompt live', async () => {
    fresh();
    const goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--data-dir', directories.dataDir, '--config', directories.configFile]);
    try {
      const api = apiClient(goosed.url);
      await useScriptedProvider(api, llm.url);
      const acp = await start();
      const { sessionId } = await acp.agent.request('session/new', { cwd: workDir, mcpServers: [] });
      expect((await (await api.request(`/api/sessions/${sessionId}`)).json()).working_directory).toBe(workDir);

      const follower = await api.request(`/api/sessions/${sessionId}/events`, { headers: { accept: 'text/event-stream' } });
      const seen = readSse(follower, isReplyEnd);
      llm.enqueue({ text: ['From ', 'the ', 'editor.'] });
      expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'Speak' }] })).toMatchObject({ stopReason: 'end_turn' });
      const frames = await seen;
      expect(frames.find((frame) => frame.event === 'user_message')?.data.message.content).toBe('Speak');
      expect(frames.filter((frame) => frame.event === 'content_delta').map((frame) => frame.data.delta).join('')).toBe('From the editor.');
      expect(frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { content: 'From the editor.' } } });
      // No goosed of its own was started.
      expect(readRuntimeFile(directories.dataDir)?.pid).toBe(goosed.child.pid);
      expect(existsSync(join(directories.dataDir, 'server.log'))).toBe(false);
    } finally {
      goosed.child.kill('SIGTERM');
      await goosed.exited;
    }
  });
});

describe('the goosed started for editors', () => {
  it('stays while it works, stops once idle, is started again by the next request, and stops once the editor has gone', async () => {
    fresh();
    const acp = await start({ idleExit: 1 });
    const first = await configure();
    await addExtension(first.api, { name: 'developer', config: { allow_shell: true } });
    const { sessionId } = await acp.agent.request('session/new', { cwd: workDir, mcpServers: [] });
    await acp.agent.request('session/set_mode', { sessionId, modeId: 'auto' });
    // A reply that runs for longer than the idle time: the server is not idle meanwhile.
    llm.enqueue({ toolCalls: [{ id: 'call_wait', name: 'developer__shell', arguments: { command: 'sleep 3; echo waited' } }] }, { text: 'waited' });
    expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'wait' }] })).toMatchObject({ stopReason: 'end_turn' });
    expect(readRuntimeFile(directories.dataDir)?.pid).toBe(first.pid);

    // The editor stays open but does nothing: the server goes, and tidies up after itself.
    await waitFor(() => !processIsRunning(first.pid), Boolean, 20_000);
    expect(readRuntimeFile(directories.dataDir)).toBeNull();

    // The next request finds no server and starts one; the session is still there.
    llm.enqueue({ text: 'back' });
    expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'again' }] })).toMatchObject({ stopReason: 'end_turn' });
    const second = await backgroundServer(directories.dataDir);
    expect(second.pid).not.toBe(first.pid);
    expect(textOf(acp.updatesOf(sessionId)).endsWith('back')).toBe(true);

    await acp.close();
    await waitFor(() => !processIsRunning(second.pid), Boolean, 20_000);
    expect(readRuntimeFile(directories.dataDir)).toBeNull();
  });
});
