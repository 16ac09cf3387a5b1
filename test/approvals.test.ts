import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, startTestServer, temporaryDirectory, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { readSse } from './support/sse-client.js';
import { addExtension, answerApproval, listMessages, toolResultsSent, waitForPendingApprovals, waitForReplyEnd } from './support/extensions.js';
import { startMcpHttpServer } from './fixtures/mcp-http-server.js';
import { startTcpProxy } from './support/tcp-proxy.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  harness = await startReplyHarness({ workDirectoryPrefix: 'goosed-approvals-', extensions: [{ name: 'developer', config: { allow_shell: true } }] });
  ({ llm, goosed, workDir } = harness);
});
afterAll(() => harness?.close());

const session = (mode: string) => createSession(goosed, { execution_mode: mode, working_directory: workDir });
/** Sends without waiting: the reply will stop at an approval. */
const sendInBackground = (sessionId: string, content: string) => goosed.request(`/api/sessions/${sessionId}/messages`, { method: 'POST', json: { content } });
const lastToolResult = () => toolResultsSent(llm.requests.at(-1)!.body).at(-1);

describe('asking before a tool runs', () => {
  it('approve asks even for a read-only tool; allow_once runs it and the model gets the result', async () => {
    const { id } = await session('approve');
    llm.enqueue({ toolCalls: [{ name: 'developer__view', arguments: { path: workDir } }] }, { text: 'Looked.' });
    const reply = sendInBackground(id, 'look around');
    const [approval] = await waitForPendingApprovals(goosed, id);
    expect(approval).toMatchObject({ tool: 'developer__view', arguments: { path: workDir }, status: 'pending', reason: expect.stringContaining('approve') });
    // The session shows it too (on PostgreSQL a few round trips after the approval is listed).
    const status = async () => (await (await goosed.request(`/api/sessions/${id}`)).json()).status;
    expect(await waitFor(status, (value) => value === 'waiting_approval')).toBe('waiting_approval');

    const answered = await answerApproval(goosed, id, approval.id, 'allow_once');
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ id: approval.id, status: 'resolved', decision: 'allow_once' });
    // The synchronous POST waited through the approval and answers with the finished reply.
    expect(await (await reply).json()).toMatchObject({ status: 'complete', content: 'Looked.' });
    expect(lastToolResult()).not.toContain('denied');
  });

  it('smart_approval runs read-only tools at once and asks for the rest', async () => {
    const { id } = await session('smart_approval');
    llm.enqueue(
      { toolCalls: [{ name: 'developer__view', arguments: { path: workDir } }] },
      { toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo smart' } }] },
      { text: 'Done.' },
    );
    const reply = sendInBackground(id, 'look, then run');
    const approvals = await waitForPendingApprovals(goosed, id);
    expect(approvals.map((approval) => approval.tool)).toEqual(['developer__shell']);
    const [assistant] = (await listMessages(goosed, id)).slice(1);
    expect(assistant.parts[0]).toMatchObject({ tool: 'developer__view', status: 'done' });
    await answerApproval(goosed, id, approvals[0].id, 'allow_once');
    expect((await (await reply).json()).content).toBe('Done.');
    expect(lastToolResult()).toBe('smart\n');
  });

  it('deny: the model gets a result saying so, with the person’s message, and nothing runs', async () => {
    const { id } = await session('approve');
    const marker = join(workDir, 'denied-marker');
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: `touch ${marker}` } }] }, { text: 'Understood.' });
    const reply = sendInBackground(id, 'make a file');
    const [approval] = await waitForPendingApprovals(goosed, id);
    await answerApproval(goosed, id, approval.id, 'deny', 'not in this directory');
    expect((await (await reply).json()).content).toBe('Understood.');
    expect(lastToolResult()).toMatch(/denied.*not in this directory/);
    expect(existsSync(marker)).toBe(false);
    const [, assistant] = await listMessages(goosed, id);
    expect(assistant.parts[0]).toMatchObject({ status: 'denied', result: { is_error: true } });
  });

  it('always_allow is remembered: the next call to that tool runs without asking', async () => {
    const { id } = await session('approve');
    const file = join(workDir, 'created.txt');
    llm.enqueue({ toolCalls: [{ name: 'developer__create', arguments: { path: file, file_text: 'one' } }] }, { text: 'Created.' });
    const reply = sendInBackground(id, 'create it');
    const [approval] = await waitForPendingApprovals(goosed, id);
    await answerApproval(goosed, id, approval.id, 'always_allow');
    await reply;

    const other = await session('approve');
    llm.enqueue({ toolCalls: [{ name: 'developer__create', arguments: { path: join(workDir, 'created-2.txt'), file_text: 'two' } }] }, { text: 'Again.' });
    const second = await (await sendInBackground(other.id, 'create another')).json();
    expect(second.content).toBe('Again.');
    expect(await (await goosed.request(`/api/sessions/${other.id}/approvals`)).json()).toEqual([]);
    expect(existsSync(join(workDir, 'created-2.txt'))).toBe(true);
  });

  it('always_deny is remembered: the next call is refused without asking', async () => {
    const { id } = await session('auto');
    const { id: asking } = await session('approve');
    llm.enqueue({ toolCalls: [{ name: 'developer__insert', arguments: { path: join(workDir, 'x.txt'), insert_line: 0, new_str: 'x' } }] }, { text: 'ok' });
    const reply = sendInBackground(asking, 'insert');
    const [approval] = await waitForPendingApprovals(goosed, asking);
    await answerApproval(goosed, asking, approval.id, 'always_deny');
    await reply;

    // Even in auto mode, which never asks, the remembered denial holds.
    llm.enqueue({ toolCalls: [{ name: 'developer__insert', arguments: { path: join(workDir, 'x.txt'), insert_line: 0, new_str: 'y' } }] }, { text: 'refused' });
    await (await sendInBackground(id, 'insert again')).json();
    expect(await (await goosed.request(`/api/sessions/${id}/approvals`)).json()).toEqual([]);
    expect(lastToolResult()).toMatch(/denied .*permanently/);
  });

  it('deleting an extension forgets what was remembered about its tools', async () => {
    const own = await startScriptedServer(llm, { extensions: [{ name: 'developer', config: { allow_shell: true } }] });
    try {
      const first = await createSession(own, { execution_mode: 'approve', working_directory: workDir });
      llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'true' } }] }, { text: 'ok' });
      const reply = own.request(`/api/sessions/${first.id}/messages`, { method: 'POST', json: { content: 'run' } });
      const [approval] = await waitForPendingApprovals(own, first.id);
      await answerApproval(own, first.id, approval.id, 'always_allow');
      await reply;

      expect((await own.request('/api/extensions/developer', { method: 'DELETE' })).status).toBe(204);
      await addExtension(own, { name: 'developer', config: { allow_shell: true } });
      const second = await createSession(own, { execution_mode: 'approve', working_directory: workDir });
      llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'true' } }] }, { text: 'ok' });
      const asked = own.request(`/api/sessions/${second.id}/messages`, { method: 'POST', json: { content: 'run' } });
      const [again] = await waitForPendingApprovals(own, second.id);
      await answerApproval(own, second.id, again.id, 'allow_once');
      expect((await asked).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('answering approvals', () => {
  it('an unknown approval id is 404, answering twice is 409, a bad decision is 400', async () => {
    const { id } = await session('approve');
    expect((await answerApproval(goosed, id, 'no-such-approval', 'allow_once')).status).toBe(404);
    expect((await answerApproval(goosed, 'no-such-session', 'x', 'allow_once')).status).toBe(404);

    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo once' } }] }, { text: 'ok' });
    const reply = sendInBackground(id, 'run once');
    const [approval] = await waitForPendingApprovals(goosed, id);
    const bad = await answerApproval(goosed, id, approval.id, 'maybe');
    expect(bad.status).toBe(400);
    expect((await answerApproval(goosed, id, approval.id, 'allow_once')).status).toBe(200);
    const twice = await answerApproval(goosed, id, approval.id, 'deny');
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'approval_already_resolved' });
    expect((await (await reply).json()).status).toBe('complete');
  });

  it('cancelling a reply that waits for approval cancels the approval: answering it then is 409', async () => {
    const { id } = await session('approve');
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo never' } }] });
    const reply = sendInBackground(id, 'wait for me');
    const [approval] = await waitForPendingApprovals(goosed, id);
    const cancel = await (await goosed.request(`/api/sessions/${id}/cancel`, { method: 'POST' })).json();
    expect(cancel).toMatchObject({ cancelled: true, message: { status: 'cancelled' } });
    expect((await reply).status).toBe(200);
    const [stored] = await (await goosed.request(`/api/sessions/${id}/approvals`)).json();
    expect(stored).toMatchObject({ id: approval.id, status: 'cancelled' });
    expect((await answerApproval(goosed, id, approval.id, 'allow_once')).status).toBe(409);
  });

  it('the stream shows approval_request and approval_resolved, and a second client answers', async () => {
    const { id } = await session('approve');
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo streamed' } }] }, { text: 'Streamed.' });
    const response = await goosed.request(`/api/sessions/${id}/messages/stream`, { method: 'POST', json: { content: 'go' } });
    let answered = false;
    const frames = await readSse(response, (frame) => {
      if (frame.event === 'approval_request' && !answered) {
        answered = true;
        void answerApproval(goosed, id, frame.data.id, 'allow_once');
      }
      return frame.event === 'message_complete' || frame.event === 'error';
    });
    const types = frames.map((frame) => frame.event);
    expect(types).toEqual(expect.arrayContaining(['tool_use', 'approval_request', 'approval_resolved', 'tool_result', 'message_complete']));
    expect(types.indexOf('approval_request')).toBeLessThan(types.indexOf('approval_resolved'));
    expect(types.indexOf('approval_resolved')).toBeLessThan(types.indexOf('tool_result'));
    const request = frames.find((frame) => frame.event === 'approval_request')!.data;
    expect(request).toMatchObject({ tool: 'developer__shell', arguments: { command: 'echo streamed' } });
    expect(frames.at(-1)!.data.message.content).toBe('Streamed.');
  });
});

describe('approvals survive a restart', () => {
  it('an approval answered after goosed restarts continues the reply', async () => {
    const dataDir = temporaryDirectory();
    try {
      const first = await startScriptedServer(llm, { dataDir, extensions: [{ name: 'developer', config: { allow_shell: true } }] });
      const { id } = await createSession(first, { execution_mode: 'approve', working_directory: workDir });
      llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo answered after the restart' } }] }, { text: 'Finished after the restart.' });
      const stream = await first.request(`/api/sessions/${id}/messages/stream`, { method: 'POST', json: { content: 'run it' } });
      await readSse(stream, (frame) => frame.event === 'approval_request');
      await first.close();

      const second = await startTestServer({ dataDir });
      try {
        expect((await (await second.request(`/api/sessions/${id}`)).json()).status).toBe('waiting_approval');
        const [approval] = await waitForPendingApprovals(second, id);
        const requestsBefore = llm.requests.length;
        expect((await answerApproval(second, id, approval.id, 'allow_once')).status).toBe(200);
        const message = await waitForReplyEnd(second, id);
        expect(message).toMatchObject({ status: 'complete', content: 'Finished after the restart.' });
        expect(message.parts[0]).toMatchObject({ status: 'done', result: { content: 'answered after the restart\n' } });
        expect(llm.requests.length).toBe(requestsBefore + 1);
        expect(lastToolResult()).toBe('answered after the restart\n');
        await waitFor(async () => (await (await second.request(`/api/sessions/${id}`)).json()).status, (status) => status === 'idle');
      } finally {
        await second.close();
      }
    } finally {
      removeDirectory(dataDir);
    }
  });

  it('reads waiting_approval from the first request after the restart, while its extension is still starting', async () => {
    const dataDir = temporaryDirectory();
    const mcp = await startMcpHttpServer();
    // The extension is reached through a proxy that holds it back after the restart: the recovered
    // reply cannot reach its approval again until release().
    const proxy = await startTcpProxy(mcp.url);
    try {
      const extension = { name: 'fixture', config: { url: proxy.url + new URL(mcp.url).pathname, timeout_ms: 15_000 } };
      const first = await startScriptedServer(llm, { dataDir, extensions: [extension], shutdownGraceMs: 100 });
      const { id } = await createSession(first, { execution_mode: 'approve', working_directory: workDir });
      llm.enqueue({ toolCalls: [{ name: 'fixture__write_note', arguments: { note: 'after the restart' } }] }, { text: 'Noted.' });
      const stream = await first.request(`/api/sessions/${id}/messages/stream`, { method: 'POST', json: { content: 'note it' } });
      await readSse(stream, (frame) => frame.event === 'approval_request');
      await first.close();

      proxy.hold();
      const second = await startTestServer({ dataDir });
      try {
        const session = await (await second.request(`/api/sessions/${id}`)).json();
        expect(session.status).toBe('waiting_approval');
        // Still so while the extension is held back, in the list too.
        const listed = await (await second.request('/api/sessions')).json();
        expect(listed.find((item: { id: string }) => item.id === id).status).toBe('waiting_approval');

        proxy.release();
        const [approval] = await waitForPendingApprovals(second, id);
        expect((await answerApproval(second, id, approval.id, 'allow_once')).status).toBe(200);
        expect(await waitForReplyEnd(second, id)).toMatchObject({ status: 'complete', content: 'Noted.' });
        expect(lastToolResult()).toBe('1 notes stored');
      } finally {
        await second.close();
      }
    } finally {
      proxy.release();
      await proxy.close();
      await mcp.close();
      removeDirectory(dataDir);
    }
  });
});
