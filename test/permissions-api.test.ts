import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { answerApproval, toolResultsSent, waitForPendingApprovals } from './support/extensions.js';

// GET /api/permissions and DELETE /api/permissions/{tool}: the always_allow / always_deny decisions
// remembered from approvals, listed and forgotten through the API.

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  harness = await startReplyHarness({ workDirectoryPrefix: 'goosed-permissions-', extensions: [{ name: 'developer', config: { allow_shell: true } }] });
  ({ llm, goosed, workDir } = harness);
});
afterAll(() => harness?.close());

const listPermissions = async (query = '') => (await goosed.request(`/api/permissions${query}`)).json();
const forget = (tool: string) => goosed.request(`/api/permissions/${encodeURIComponent(tool)}`, { method: 'DELETE' });
const approvalsOf = async (sessionId: string) => (await goosed.request(`/api/sessions/${sessionId}/approvals`)).json();

/** In a new approve-mode session, sends a message whose reply calls `tool` once and then says "<label> done.". */
async function callInApproveMode(tool: string, args: Record<string, unknown>, label: string) {
  const { id } = await createSession(goosed, { execution_mode: 'approve', working_directory: workDir });
  llm.enqueue({ toolCalls: [{ name: tool, arguments: args }] }, { text: `${label} done.` });
  const reply = goosed.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: `call ${tool}` } });
  return { id, reply };
}

describe('remembered permissions', () => {
  it('an always_allow answer is listed, holds until deleted, and the tool asks again after', async () => {
    expect(await listPermissions()).toEqual([]);

    const before = Date.now();
    const first = await callInApproveMode('developer__shell', { command: 'echo first' }, 'always_allow');
    const [approval] = await waitForPendingApprovals(goosed, first.id);
    expect((await answerApproval(goosed, first.id, approval.id, 'always_allow')).status).toBe(200);
    expect((await first.reply).status).toBe(200);

    const listed = await listPermissions();
    expect(listed).toEqual([{ tool: 'developer__shell', decision: 'always_allow', updated_at: expect.any(String) }]);
    const setAt = Date.parse(listed[0].updated_at);
    expect(setAt).toBeGreaterThanOrEqual(before - 1000);
    expect(setAt).toBeLessThanOrEqual(Date.now() + 1000);

    // Remembered: the next call runs without asking, in another session.
    const second = await callInApproveMode('developer__shell', { command: 'echo second' }, 'remembered');
    expect(await (await second.reply).json()).toMatchObject({ status: 'complete', content: 'remembered done.' });
    expect(await approvalsOf(second.id)).toEqual([]);
    expect(toolResultsSent(llm.requests.at(-1)!.body).at(-1)).toBe('second\n');

    const deleted = await forget('developer__shell');
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(await listPermissions()).toEqual([]);

    // Forgotten: the execution mode decides again, and approve asks.
    const third = await callInApproveMode('developer__shell', { command: 'echo third' }, 'asked');
    const [again] = await waitForPendingApprovals(goosed, third.id);
    expect(again).toMatchObject({ tool: 'developer__shell', status: 'pending' });
    expect((await answerApproval(goosed, third.id, again.id, 'allow_once')).status).toBe(200);
    expect(await (await third.reply).json()).toMatchObject({ status: 'complete', content: 'asked done.' });
    // allow_once is not remembered.
    expect(await listPermissions()).toEqual([]);
  });

  it('lists always_deny too, by tool name, and filters by decision', async () => {
    const denied = await callInApproveMode('developer__insert', { path: `${workDir}/x.txt`, insert_line: 0, new_str: 'x' }, 'always_deny');
    const [denial] = await waitForPendingApprovals(goosed, denied.id);
    await answerApproval(goosed, denied.id, denial.id, 'always_deny');
    await denied.reply;
    const allowed = await callInApproveMode('developer__view', { path: workDir }, 'always_allow');
    const [allowance] = await waitForPendingApprovals(goosed, allowed.id);
    await answerApproval(goosed, allowed.id, allowance.id, 'always_allow');
    await allowed.reply;

    expect((await listPermissions()).map((p: any) => [p.tool, p.decision])).toEqual([
      ['developer__insert', 'always_deny'],
      ['developer__view', 'always_allow'],
    ]);
    expect((await listPermissions('?decision=always_deny')).map((p: any) => p.tool)).toEqual(['developer__insert']);
    expect((await listPermissions('?decision=always_allow')).map((p: any) => p.tool)).toEqual(['developer__view']);

    expect((await forget('developer__insert')).status).toBe(204);
    expect((await forget('developer__view')).status).toBe(204);
    expect(await listPermissions()).toEqual([]);
  });
});

describe('bad requests', () => {
  it('deleting what is not remembered is 404: an unknown tool, or one already forgotten', async () => {
    for (const tool of ['no_such__tool', 'developer__shell']) {
      const response = await forget(tool);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: expect.stringContaining(tool), code: 'not_found' });
    }
  });

  it('bad input is 400 with {error, code}', async () => {
    for (const response of [await goosed.request('/api/permissions?decision=maybe'), await forget('x'.repeat(201))]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: expect.any(String), code: expect.any(String) });
    }
  });

  it('needs the key, and refuses a foreign Origin, like every route', async () => {
    const locked = await startTestServer({ secretKey: 'permissions-test-key-0123456789abcdef' });
    try {
      expect((await fetch(`${locked.url}/api/permissions`)).status).toBe(401);
      expect((await fetch(`${locked.url}/api/permissions/developer__shell`, { method: 'DELETE' })).status).toBe(401);
      expect((await locked.request('/api/permissions')).status).toBe(200);
      expect((await locked.request('/api/permissions', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    } finally {
      await locked.close();
    }
  });
});
