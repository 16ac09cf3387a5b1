import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, startTestServer, temporaryDirectory, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { readSse, type SseFrame } from './support/sse-client.js';
import { answerApproval, listMessages, waitForPendingApprovals, waitForReplyEnd } from './support/extensions.js';

// A reply that ends while its tool calls wait for approval must not leave them waiting: each gets
// a terminal status, a result and a `tool_result` event. Shutdown is the exception: a reply left
// waiting for a person resumes after the restart, so its calls must stay as they were.

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  harness = await startReplyHarness({ workDirectoryPrefix: 'goosed-cancel-settles-', extensions: [{ name: 'developer', config: { allow_shell: true } }] });
  ({ llm, goosed, workDir } = harness);
});
afterAll(() => harness?.close());

const NOT_RUN = 'The tool call was cancelled before it ran.';

/** Two shell calls in one model turn, each of which would leave a marker file if it ran. */
function twoMarkedCalls(prefix: string) {
  const markers = [join(workDir, `${prefix}-one`), join(workDir, `${prefix}-two`)];
  const toolCalls = markers.map((marker, i) => ({ id: `call_${prefix}_${i}`, name: 'developer__shell', arguments: { command: `touch ${marker}` } }));
  return { markers, toolCalls, ids: toolCalls.map((call) => call.id) };
}

/** The tool messages of an OpenAI chat-completions request body, by tool_call_id. */
function toolMessagesSent(body: any): Map<string, string> {
  return new Map((body.messages as any[]).filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, String(message.content)]));
}

describe('cancelling a reply whose tool calls wait for approval', () => {
  it('settles every waiting call with a result and a tool_result event, and the session goes on', async () => {
    const { id } = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
    const { markers, toolCalls, ids } = twoMarkedCalls('cancelled');
    llm.enqueue({ text: 'Running both.', toolCalls });

    const stream = await goosed.request(`/api/sessions/${id}/messages/stream`, { method: 'POST', json: { content: 'run both' } });
    let cancel: Promise<Response> | null = null;
    const frames = await readSse(stream, (frame: SseFrame, seen: SseFrame[]) => {
      if (frame.event === 'approval_request' && seen.filter((f) => f.event === 'approval_request').length === 2) {
        cancel = goosed.request(`/api/sessions/${id}/cancel`, { method: 'POST' });
      }
      return frame.event === 'message_complete' || frame.event === 'error';
    });
    expect(cancel).not.toBeNull();
    const cancelled = await (await cancel!).json();

    // The stream: one tool_result per call, after its approval_request and before the end.
    const types = frames.map((frame) => frame.event);
    expect(types.at(-1)).toBe('message_complete');
    // Events and approvals name a call by goosed's id; the part keeps the provider's beside it.
    const callIds = ids.map((providerId) => frames.at(-1)!.data.message.parts.find((part: any) => part.provider_call_id === providerId).id);
    const results = frames.filter((frame) => frame.event === 'tool_result');
    expect(results.map((frame) => frame.data.id).sort()).toEqual([...callIds].sort());
    for (const result of results) expect(result.data).toMatchObject({ content: NOT_RUN, is_error: true });
    expect(types.lastIndexOf('approval_request')).toBeLessThan(types.indexOf('tool_result'));

    // The cancel answer, the end event and the stored history all show the calls settled.
    const settled = ids.map((providerId, i) => ({ type: 'tool_call', id: callIds[i], provider_call_id: providerId, status: 'cancelled', result: { content: NOT_RUN, is_error: true } }));
    expect(cancelled).toMatchObject({ cancelled: true, message: { status: 'cancelled', parts: [{ type: 'text', text: 'Running both.' }, ...settled] } });
    expect(frames.at(-1)!.data.message).toMatchObject({ status: 'cancelled', parts: [{ type: 'text' }, ...settled] });
    const [, stored] = await listMessages(goosed, id);
    expect(stored).toMatchObject({ status: 'cancelled', parts: [{ type: 'text', text: 'Running both.' }, ...settled] });

    const approvals = await (await goosed.request(`/api/sessions/${id}/approvals`)).json();
    expect(approvals.map((approval: any) => [approval.tool_call_id, approval.status]).sort()).toEqual(callIds.map((callId) => [callId, 'cancelled']).sort());
    expect((await (await goosed.request(`/api/sessions/${id}`)).json()).status).toBe('idle');
    for (const marker of markers) expect(existsSync(marker)).toBe(false);

    // The next message: the model is sent a result for each cancelled call, the one stored.
    llm.enqueue({ text: 'Understood, nothing ran.' });
    const next = await goosed.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'never mind' } });
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ status: 'complete', content: 'Understood, nothing ran.' });
    const sent = toolMessagesSent(llm.requests.at(-1)!.body);
    expect([...sent.keys()].sort()).toEqual([...ids].sort());
    for (const content of sent.values()) expect(content).toContain(NOT_RUN);
  });

  it('a call already allowed and running is killed and settled too, next to one still waiting', async () => {
    const { id } = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
    const started = join(workDir, 'long-call-started');
    const marker = join(workDir, 'never-reached');
    const toolCalls = [
      { id: 'call_long', name: 'developer__shell', arguments: { command: `touch ${started}; sleep 30; touch ${marker}` } },
      { id: 'call_waiting', name: 'developer__shell', arguments: { command: 'echo never' } },
    ];
    llm.enqueue({ toolCalls });
    const reply = goosed.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'two calls' } });
    const approvals = await waitForPendingApprovals(goosed, id, 2);
    const long = approvals.find((approval) => approval.arguments.command === toolCalls[0].arguments.command)!;
    expect((await answerApproval(goosed, id, long.id, 'allow_once')).status).toBe(200);
    // Cancel once the command runs (not merely once its status says running: it may not be spawned yet).
    await waitFor(() => existsSync(started));

    const stopping = Date.now();
    const cancelled = await (await goosed.request(`/api/sessions/${id}/cancel`, { method: 'POST' })).json();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect((await reply).status).toBe(200);
    const parts = cancelled.message.parts;
    expect(parts.find((part: any) => part.provider_call_id === 'call_long')).toMatchObject({ status: 'cancelled', result: { is_error: true, content: expect.stringContaining('[cancelled: the command') } });
    expect(parts.find((part: any) => part.provider_call_id === 'call_waiting')).toMatchObject({ status: 'cancelled', result: { content: NOT_RUN, is_error: true } });
    const [, stored] = await listMessages(goosed, id);
    expect(stored.parts).toEqual(parts);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('shutdown while tool calls wait for approval', () => {
  it('leaves them waiting, and after the restart answering both completes the reply', async () => {
    const dataDir = temporaryDirectory();
    try {
      const first = await startScriptedServer(llm, { dataDir, extensions: [{ name: 'developer', config: { allow_shell: true } }] });
      const { id } = await createSession(first, { execution_mode: 'approve', working_directory: workDir });
      const { markers, toolCalls, ids } = twoMarkedCalls('restarted');
      llm.enqueue({ toolCalls }, { text: 'Both ran after the restart.' });
      void first.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'run both' } }).catch(() => {});
      await waitForPendingApprovals(first, id, 2);
      await first.close();

      const second = await startTestServer({ dataDir });
      try {
        const [, stored] = await listMessages(second, id);
        expect(stored.status).toBe('running');
        for (const providerId of ids) expect(stored.parts.find((part: any) => part.provider_call_id === providerId)).toMatchObject({ status: 'awaiting_approval', result: null });
        const pending = await waitForPendingApprovals(second, id, 2);
        for (const approval of pending) expect((await answerApproval(second, id, approval.id, 'allow_once')).status).toBe(200);
        const message = await waitForReplyEnd(second, id);
        expect(message).toMatchObject({ status: 'complete', content: 'Both ran after the restart.' });
        for (const providerId of ids) expect(message.parts.find((part: any) => part.provider_call_id === providerId)).toMatchObject({ status: 'done' });
        for (const marker of markers) expect(existsSync(marker)).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      removeDirectory(dataDir);
    }
  });

  it('settles a sibling call that was running, so that the resumed reply does not run it again', async () => {
    const dataDir = temporaryDirectory();
    const runs = join(workDir, 'sibling-runs.txt');
    const created = join(workDir, 'sibling-created.txt');
    try {
      const first = await startScriptedServer(llm, { dataDir, shutdownGraceMs: 300, extensions: [{ name: 'developer', config: { allow_shell: true } }] });
      const { id } = await createSession(first, { execution_mode: 'approve', working_directory: workDir });
      // The shell is remembered as always allowed; the editor still asks.
      llm.enqueue({ toolCalls: [{ id: 'call_allow', name: 'developer__shell', arguments: { command: 'true' } }] }, { text: 'Allowed.' });
      void first.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'allow the shell' } }).catch(() => {});
      const [asked] = await waitForPendingApprovals(first, id, 1);
      expect((await answerApproval(first, id, asked.id, 'always_allow')).status).toBe(200);
      await waitForReplyEnd(first, id);

      llm.enqueue(
        {
          toolCalls: [
            { id: 'call_running', name: 'developer__shell', arguments: { command: `echo ran >> ${runs}; sleep 30` } },
            { id: 'call_waiting', name: 'developer__create', arguments: { path: created, file_text: 'made\n' } },
          ],
        },
        { text: 'Done after the restart.' },
      );
      void first.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'run and create' } }).catch(() => {});
      await waitForPendingApprovals(first, id, 1);
      await waitFor(() => existsSync(runs), Boolean);
      await first.close();

      const second = await startTestServer({ dataDir });
      try {
        const [, , , stored] = await listMessages(second, id);
        expect(stored.status).toBe('running');
        expect(stored.parts.find((part: any) => part.provider_call_id === 'call_running')).toMatchObject({
          status: 'cancelled',
          result: { content: 'The server stopped while this tool call ran; it may or may not have taken effect.', is_error: true },
        });
        expect(stored.parts.find((part: any) => part.provider_call_id === 'call_waiting')).toMatchObject({ status: 'awaiting_approval', result: null });
        const [pending] = await waitForPendingApprovals(second, id, 1);
        expect((await answerApproval(second, id, pending.id, 'allow_once')).status).toBe(200);
        expect(await waitForReplyEnd(second, id)).toMatchObject({ status: 'complete', content: 'Done after the restart.' });
        expect(readFileSync(created, 'utf8')).toBe('made\n');
        expect(readFileSync(runs, 'utf8')).toBe('ran\n');
      } finally {
        await second.close();
      }
    } finally {
      removeDirectory(dataDir);
    }
  });
});
