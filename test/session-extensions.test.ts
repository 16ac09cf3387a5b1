// Extensions of one session (POST /api/sessions/{id}/extensions): offered in that session's replies
// only, beside the server-wide ones, refused a name that would clash in tool names, kept across a
// restart, and stopped and deleted with their session. A real stdio MCP server, a real goosed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, startTestServer, temporaryDirectory, useScriptedProvider, waitFor, type TestServer } from './support/goosed.js';
import { addExtension, processIsRunning, stdioFixtureConfig, streamReply, toolsOffered } from './support/extensions.js';

let llm: ScriptedLlm;
let goosed: TestServer;
const dataDir = temporaryDirectory('goosed-session-extensions-');

async function startGoosed(): Promise<TestServer> {
  const server = await startTestServer({ dataDir, settings: { execution_mode: 'auto' } });
  await useScriptedProvider(server, llm.url);
  return server;
}

beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startGoosed();
  await addExtension(goosed, { name: 'developer', config: {} });
});
afterAll(async () => {
  await goosed?.close();
  await llm?.close();
  removeDirectory(dataDir);
});

const addToSession = (sessionId: string, body: Record<string, unknown>) => goosed.request(`/api/sessions/${sessionId}/extensions`, { method: 'POST', json: body });
const listOfSession = async (sessionId: string) => (await goosed.request(`/api/sessions/${sessionId}/extensions`)).json();

/** Runs one reply in which the model calls `tool` and then answers; gives the tool's result and the tools offered. */
async function callInSession(sessionId: string, tool: string): Promise<{ result: any; offered: string[] }> {
  llm.enqueue({ toolCalls: [{ id: 'call_1', name: tool, arguments: {} }] }, { text: 'done' });
  const before = llm.requests.length;
  const { results } = await streamReply(goosed, sessionId, `call ${tool}`);
  return { result: results.get('call_1'), offered: toolsOffered(llm.requests[before].body) };
}

describe("a session's own extensions", () => {
  it('are offered in that session only, beside the server-wide ones, and listed apart from them', async () => {
    const mine = await createSession(goosed);
    const other = await createSession(goosed);
    const response = await addToSession(mine.id, { name: 'fixture', config: stdioFixtureConfig() });
    expect(response.status).toBe(201);
    const added = await response.json();
    expect(added).toMatchObject({ name: 'fixture', type: 'stdio', enabled: true, session_id: mine.id });

    expect(await listOfSession(mine.id)).toEqual([expect.objectContaining({ id: added.id, name: 'fixture', session_id: mine.id })]);
    expect(await listOfSession(other.id)).toEqual([]);
    expect((await (await goosed.request('/api/extensions')).json()).map((extension: any) => [extension.name, extension.session_id])).toEqual([['developer', null]]);

    const inMine = await callInSession(mine.id, 'fixture__pid');
    expect(inMine.offered).toEqual(expect.arrayContaining(['developer__view', 'fixture__echo', 'fixture__pid']));
    expect(inMine.result).toMatchObject({ is_error: false, content: expect.stringMatching(/^\d+$/) });

    const inOther = await callInSession(other.id, 'fixture__pid');
    expect(inOther.offered).toContain('developer__view');
    expect(inOther.offered.filter((name) => name.startsWith('fixture__'))).toEqual([]);
    expect(inOther.result).toMatchObject({ is_error: true });
  });

  it('refuses a name used in the session or by a server-wide extension (409), an unknown session (404), a bad config (400)', async () => {
    const session = await createSession(goosed);
    expect((await addToSession(session.id, { name: 'notes', config: stdioFixtureConfig(), enabled: false })).status).toBe(201);
    const again = await addToSession(session.id, { name: 'notes', config: stdioFixtureConfig() });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'extension_exists', error: 'The session already has an extension named "notes".' });
    const serverWide = await addToSession(session.id, { name: 'developer', config: stdioFixtureConfig() });
    expect(serverWide.status).toBe(409);
    expect(await serverWide.json()).toMatchObject({ code: 'extension_exists', error: expect.stringContaining('configured for every session') });

    expect((await addToSession('no-such-session', { name: 'x', config: stdioFixtureConfig() })).status).toBe(404);
    expect((await goosed.request('/api/sessions/no-such-session/extensions')).status).toBe(404);
    const bad = await addToSession(session.id, { name: 'bad', config: { command: '' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_extension_config' });

    // Another session may use the same name.
    const second = await createSession(goosed);
    expect((await addToSession(second.id, { name: 'notes', config: stdioFixtureConfig(), enabled: false })).status).toBe(201);
    expect((await listOfSession(session.id)).map((extension: any) => extension.name)).toEqual(['notes']);
  });

  it('are removed one by one (204, then 404), and are not reachable through the server-wide routes', async () => {
    const session = await createSession(goosed);
    const added = await (await addToSession(session.id, { name: 'gone-soon', config: stdioFixtureConfig(), enabled: false })).json();
    expect((await goosed.request(`/api/extensions/${added.id}`)).status).toBe(404);
    expect((await goosed.request(`/api/extensions/${added.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await goosed.request(`/api/sessions/${session.id}/extensions/gone-soon`, { method: 'DELETE' })).status).toBe(204);
    expect((await goosed.request(`/api/sessions/${session.id}/extensions/gone-soon`, { method: 'DELETE' })).status).toBe(404);
    expect(await listOfSession(session.id)).toEqual([]);
  });

  it('are kept across a restart, and stopped and deleted with their session', async () => {
    const session = await createSession(goosed);
    expect((await addToSession(session.id, { name: 'kept', config: stdioFixtureConfig() })).status).toBe(201);
    await goosed.close();
    goosed = await startGoosed();

    const { result } = await callInSession(session.id, 'kept__pid');
    expect(result).toMatchObject({ is_error: false });
    const pid = Number(result.content);
    expect(processIsRunning(pid)).toBe(true);

    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(() => !processIsRunning(pid));
    expect((await goosed.request(`/api/sessions/${session.id}/extensions`)).status).toBe(404);
  });
});

describe("a session's own extensions left unused", () => {
  it('are stopped (the server-wide ones are not), and started again by the next reply that needs them', async () => {
    const quick = await startTestServer({ settings: { execution_mode: 'auto' }, sessionExtensionIdleMs: 300 });
    try {
      await useScriptedProvider(quick, llm.url);
      await addExtension(quick, { name: 'wide', config: stdioFixtureConfig() });
      const session = await createSession(quick);
      expect((await quick.request(`/api/sessions/${session.id}/extensions`, { method: 'POST', json: { name: 'mine', config: stdioFixtureConfig() } })).status).toBe(201);
      const pids = async () => {
        llm.enqueue({ toolCalls: [{ id: 'call_wide', name: 'wide__pid', arguments: {} }, { id: 'call_mine', name: 'mine__pid', arguments: {} }] }, { text: 'done' });
        const { results } = await streamReply(quick, session.id, 'which processes?');
        expect([results.get('call_wide'), results.get('call_mine')]).toEqual([expect.objectContaining({ is_error: false }), expect.objectContaining({ is_error: false })]);
        return { wide: Number(results.get('call_wide').content), mine: Number(results.get('call_mine').content) };
      };

      const first = await pids();
      await waitFor(() => !processIsRunning(first.mine));
      expect(processIsRunning(first.wide)).toBe(true);
      const mine = await (await quick.request(`/api/sessions/${session.id}/extensions`)).json();
      expect(mine).toEqual([expect.objectContaining({ name: 'mine', state: 'stopped' })]);

      const second = await pids();
      expect(second.wide).toBe(first.wide);
      expect(second.mine).not.toBe(first.mine);

      // Started when added (it is `starting` from then on), then used by no reply: stopped all the same.
      const unused = await createSession(quick);
      const added = await (await quick.request(`/api/sessions/${unused.id}/extensions`, { method: 'POST', json: { name: 'idle', config: stdioFixtureConfig() } })).json();
      expect(added.state).not.toBe('stopped');
      await waitFor(async () => (await (await quick.request(`/api/sessions/${unused.id}/extensions`)).json())[0].state, (state) => state === 'stopped');
    } finally {
      await quick.close();
    }
  });
});
