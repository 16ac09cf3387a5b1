import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { isReplyEnd, readSse } from './support/sse-client.js';
import {
  addExtension,
  getExtension,
  listMessages,
  processIsRunning,
  stdioFixtureConfig,
  toolResultsSent,
  toolsOffered,
  waitForReplyEnd,
} from './support/extensions.js';
import { startMcpHttpServer, type McpHttpServer } from './fixtures/mcp-http-server.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let mcpHttp: McpHttpServer;
let workDir: string;

beforeAll(async () => {
  mcpHttp = await startMcpHttpServer();
  harness = await startReplyHarness({
    workDirectoryPrefix: 'goosed-tools-',
    extensions: [
      { name: 'developer', config: { allow_shell: true } },
      { name: 'fixture', config: stdioFixtureConfig() },
      { name: 'remote', config: { url: mcpHttp.url } },
    ],
  });
  ({ llm, goosed, workDir } = harness);
});
afterAll(async () => {
  await harness?.close();
  await mcpHttp?.close();
});

const send = async (sessionId: string, content: string) => {
  const response = await goosed.request(`/api/sessions/${sessionId}/messages`, { method: 'POST', json: { content } });
  expect(response.status).toBe(200);
  return response.json();
};
const autoSession = () => createSession(goosed, { execution_mode: 'auto', working_directory: workDir });
/** The model requests made from now on. */
const requestsFrom = (start: number) => llm.requests.slice(start);

describe('a tool round trip', () => {
  it('the model asks for developer__shell, gets the output, and answers', async () => {
    const session = await autoSession();
    const before = llm.requests.length;
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo hi from the shell' } }] }, { text: 'The shell said hi.' });
    const response = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'say hi' } });
    const frames = await readSse(response, isReplyEnd);
    const types = frames.map((frame) => frame.event);
    expect(types.indexOf('tool_use')).toBeLessThan(types.indexOf('tool_result'));
    expect(types.at(-1)).toBe('message_complete');
    const toolUse = frames.find((frame) => frame.event === 'tool_use')!.data;
    expect(toolUse).toMatchObject({ tool: 'developer__shell', arguments: { command: 'echo hi from the shell' } });
    expect(frames.find((frame) => frame.event === 'tool_result')!.data).toMatchObject({ id: toolUse.id, content: 'hi from the shell\n', is_error: false });

    const [first, second] = requestsFrom(before);
    expect(toolsOffered(first.body)).toEqual(expect.arrayContaining(['developer__shell', 'developer__view', 'fixture__echo', 'remote__echo']));
    expect(toolResultsSent(second.body)).toEqual(['hi from the shell\n']);

    const message = frames.at(-1)!.data.message;
    expect(message.content).toBe('The shell said hi.');
    expect(message.parts[0]).toMatchObject({ type: 'tool_call', tool: 'developer__shell', status: 'done', result: { content: 'hi from the shell\n' } });
  });

  it('runs the command in the session working directory', async () => {
    const session = await autoSession();
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'pwd' } }] }, { text: 'ok' });
    const before = llm.requests.length;
    await send(session.id, 'where are you?');
    expect(toolResultsSent(requestsFrom(before)[1].body)[0].trim()).toBe(workDir);
  });

  it('with allow_shell false, the model gets a clear refusal and nothing runs', async () => {
    const own = await startScriptedServer(llm, { extensions: [{ name: 'developer', config: { allow_shell: false } }] });
    try {
      const session = await createSession(own, { execution_mode: 'auto', working_directory: workDir });
      llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'touch should-not-exist' } }] }, { text: 'I cannot run commands.' });
      const before = llm.requests.length;
      const reply = await (await own.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'touch it' } })).json();
      expect(reply.content).toBe('I cannot run commands.');
      const [result] = toolResultsSent(requestsFrom(before)[1].body);
      expect(result).toContain('The shell tool is disabled');
      expect(result).toContain('allow_shell');
      expect(existsSync(join(workDir, 'should-not-exist'))).toBe(false);
    } finally {
      await own.close();
    }
  });
});

describe('execution modes', () => {
  it('chat offers the model no tools at all', async () => {
    const session = await createSession(goosed, { execution_mode: 'chat' });
    const before = llm.requests.length;
    llm.enqueue({ text: 'Just talking.' });
    expect((await send(session.id, 'hello')).content).toBe('Just talking.');
    const [request] = requestsFrom(before);
    expect(request.body.tools).toBeUndefined();
  });

  it('a session mode overrides the setting, and PATCH /api/config changes the default', async () => {
    const own = await startScriptedServer(llm, { settings: { execution_mode: 'chat' }, extensions: [{ name: 'developer', config: {} }] });
    try {
      const chatting = await createSession(own);
      const before = llm.requests.length;
      llm.enqueue({ text: 'a' }, { text: 'b' }, { text: 'c' });
      await own.request(`/api/sessions/${chatting.id}/messages`, { method: 'POST', json: { content: 'x' } });
      expect(toolsOffered(llm.requests[before].body)).toEqual([]);
      const working = await createSession(own, { execution_mode: 'auto' });
      await own.request(`/api/sessions/${working.id}/messages`, { method: 'POST', json: { content: 'x' } });
      expect(toolsOffered(llm.requests[before + 1].body)).toContain('developer__shell');
      expect((await own.request('/api/config', { method: 'PATCH', json: { execution_mode: 'smart_approval' } })).status).toBe(200);
      await own.request(`/api/sessions/${chatting.id}/messages`, { method: 'POST', json: { content: 'x' } });
      expect(toolsOffered(llm.requests[before + 2].body)).toContain('developer__shell');
    } finally {
      await own.close();
    }
  });
});

describe('MCP extensions in a reply', () => {
  it('calls a real stdio MCP server', async () => {
    const session = await autoSession();
    const before = llm.requests.length;
    llm.enqueue({ toolCalls: [{ name: 'fixture__add', arguments: { a: 2, b: 40 } }] }, { text: 'It is 42.' });
    expect((await send(session.id, 'add 2 and 40')).content).toBe('It is 42.');
    expect(toolResultsSent(requestsFrom(before)[1].body)).toEqual(['42']);
  });

  it('calls a real streamable-HTTP MCP server', async () => {
    const session = await autoSession();
    const before = llm.requests.length;
    llm.enqueue({ toolCalls: [{ name: 'remote__echo', arguments: { text: 'over http' } }] }, { text: 'Echoed.' });
    expect((await send(session.id, 'echo over http')).content).toBe('Echoed.');
    expect(toolResultsSent(requestsFrom(before)[1].body)).toEqual(['over http']);
  });

  it('caps a big MCP result like shell output: its head and tail within max_output_bytes, with a note', async () => {
    const session = await autoSession();
    const before = llm.requests.length;
    llm.enqueue({ toolCalls: [{ name: 'remote__big_text', arguments: { bytes: 300_000 } }] }, { text: 'Too much to read.' });
    const message = await send(session.id, 'fetch everything');
    const sent = toolResultsSent(requestsFrom(before)[1].body)[0];
    // The default cap (100 KiB), what the model gets and what is stored alike.
    expect(message.parts.find((part: any) => part.type === 'tool_call').result.content).toBe(sent);
    expect(Buffer.byteLength(sent)).toBeLessThan(100 * 1024 + 200);
    expect(sent).toMatch(/^HEADx+\n\n\[\.\.\. 197600 bytes of output omitted: only the first and last 51200 bytes are kept \.\.\.\]\n\nx+TAIL$/);

    // The cap is the extension's max_output_bytes.
    const small = await addExtension(goosed, { name: 'small', config: { url: mcpHttp.url, max_output_bytes: 4096 } });
    try {
      llm.enqueue({ toolCalls: [{ name: 'small__big_text', arguments: { bytes: 10_000 } }] }, { text: 'Still too much.' });
      const capped = (await send(session.id, 'fetch less')).parts.find((part: any) => part.type === 'tool_call').result.content;
      expect(capped).toMatch(/^HEADx{2044}\n\n\[\.\.\. 5904 bytes of output omitted: only the first and last 2048 bytes are kept \.\.\.\]\n\nx{2044}TAIL$/);
    } finally {
      await goosed.request(`/api/extensions/${small.id}`, { method: 'DELETE' });
    }
  });

  it('relays progress notifications to /events as tool_progress', async () => {
    const session = await autoSession();
    const events = readSse(await goosed.request(`/api/sessions/${session.id}/events`), (frame) => frame.event === 'message_complete');
    llm.enqueue({ toolCalls: [{ name: 'fixture__slow', arguments: { ms: 400, steps: 4 } }] }, { text: 'Slept.' });
    await send(session.id, 'sleep a little');
    const frames = await events;
    const toolUse = frames.find((frame) => frame.event === 'tool_use')!.data;
    const progress = frames.filter((frame) => frame.event === 'tool_progress').map((frame) => frame.data);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatchObject({ id: toolUse.id, progress: 1, total: 4, message: 'step 1' });
  });

  it('a server that crashes mid-call: error result, the reply goes on, the extension is failed, then comes back on next use', async () => {
    const session = await autoSession();
    const before = llm.requests.length;
    llm.enqueue({ toolCalls: [{ name: 'fixture__crash', arguments: {} }] }, { text: 'The tool crashed; carrying on.' });
    const reply = await send(session.id, 'crash it');
    expect(reply.content).toBe('The tool crashed; carrying on.');
    const [result] = toolResultsSent(requestsFrom(before)[1].body);
    expect(result).toContain('exited with code 3');
    const failed = await getExtension(goosed, 'fixture');
    expect(failed.state).toBe('failed');
    expect(failed.last_error).toContain('crashing on purpose');

    llm.enqueue({ toolCalls: [{ name: 'fixture__echo', arguments: { text: 'back again' } }] }, { text: 'It is back.' });
    const again = llm.requests.length;
    expect((await send(session.id, 'try again')).content).toBe('It is back.');
    expect(toolResultsSent(requestsFrom(again)[1].body).at(-1)).toBe('back again');
    expect((await getExtension(goosed, 'fixture')).state).toBe('running');
  });

  it('a crashed server also comes back when toggled', async () => {
    const session = await autoSession();
    llm.enqueue({ toolCalls: [{ name: 'fixture__crash', arguments: {} }] }, { text: 'crashed' });
    await send(session.id, 'crash it');
    expect((await getExtension(goosed, 'fixture')).state).toBe('failed');
    expect((await (await goosed.request('/api/extensions/fixture/toggle', { method: 'PATCH' })).json()).state).toBe('stopped');
    await goosed.request('/api/extensions/fixture/toggle', { method: 'PATCH' });
    await waitFor(() => getExtension(goosed, 'fixture'), (extension) => extension.state === 'running', 20_000);
  });

  it('an extension that cannot start is left out; the reply goes on with the others', async () => {
    const own = await startScriptedServer(llm, { extensions: [{ name: 'developer', config: {} }, { name: 'broken', config: stdioFixtureConfig(['--exit-at-start']) }] });
    try {
      const session = await createSession(own, { execution_mode: 'auto' });
      const before = llm.requests.length;
      llm.enqueue({ text: 'fine without it' });
      const reply = await (await own.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } })).json();
      expect(reply.content).toBe('fine without it');
      const offered = toolsOffered(llm.requests[before].body);
      expect(offered).toContain('developer__shell');
      expect(offered.some((name) => name.startsWith('broken__'))).toBe(false);
      expect((await getExtension(own, 'broken')).state).toBe('failed');
    } finally {
      await own.close();
    }
  });
});

describe('cancel', () => {
  it('kills a running sleep (the process is gone) and keeps the partial reply', async () => {
    const session = await autoSession();
    const pidFile = join(workDir, `sleep-${session.id}.pid`);
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: `echo $$ > ${pidFile}; exec sleep 30` } }] });
    const response = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'sleep' } });
    const reading = readSse(response, isReplyEnd);
    const pid = await waitFor(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0), (value) => value > 0);
    await waitFor(() => processIsRunning(pid));
    const started = Date.now();
    const cancel = await (await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' })).json();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(cancel).toMatchObject({ cancelled: true, message: { status: 'cancelled' } });
    expect(processIsRunning(pid)).toBe(false);
    const frames = await reading;
    expect(frames.find((frame) => frame.event === 'tool_result')!.data).toMatchObject({ is_error: true, content: expect.stringContaining('cancelled') });
    const [, assistant] = await listMessages(goosed, session.id);
    expect(assistant.parts[0]).toMatchObject({ tool: 'developer__shell', status: 'cancelled' });
    expect((await waitForReplyEnd(goosed, session.id)).status).toBe('cancelled');
  });
});
