// The MCP servers an editor gives `goosed acp` with session/new (a real stdio MCP server, a real HTTP
// one) become extensions of that session only: the model calls their tools there and is not offered
// them in another session; they stop with their session, and session/load replaces them with the
// list the editor gives then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpServer, RequestError } from '@agentclientprotocol/sdk';
import { waitFor, type ApiClient } from './support/goosed.js';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { processIsRunning, stdioFixtureCommand, toolResultsSent, toolsOffered } from './support/extensions.js';
import { startMcpHttpServer, type McpHttpServer } from './fixtures/mcp-http-server.js';
import { startAcpSetup, type AcpSetup, type AcpAgentProcess } from './support/acp-agent.js';

let setup: AcpSetup;
let mcpHttp: McpHttpServer;
let llm: ScriptedLlm;
let workDir: string;
let acp: AcpAgentProcess;
let api: ApiClient;

beforeAll(async () => {
  // Server-wide: an editor's server of the same name must not take its tool names.
  [setup, mcpHttp] = await Promise.all([startAcpSetup('goosed-acp-mcp-', {}), startMcpHttpServer()]);
  ({ llm, workDir, acp, api } = setup);
});

afterAll(async () => {
  await Promise.all([setup?.close(), mcpHttp?.close()]);
});

const json = async (path: string, init?: Parameters<ApiClient['request']>[1]) => (await api.request(path, init)).json();
const stdioServer = (name: string, env: { name: string; value: string }[] = []): McpServer => ({ name, ...stdioFixtureCommand(), env });

/** A new session in auto mode (the fixture's tools are not read-only), with these MCP servers. */
async function newSession(mcpServers: McpServer[]): Promise<string> {
  const { sessionId } = await acp.agent.request('session/new', { cwd: workDir, mcpServers });
  await acp.agent.request('session/set_mode', { sessionId, modeId: 'auto' });
  return sessionId;
}

/** One prompt whose model calls `calls`, then says "done": the tools it was offered and the results it got back. */
async function promptCalling(sessionId: string, calls: { name: string; arguments?: Record<string, unknown> }[]) {
  const before = llm.requests.length;
  llm.enqueue({ toolCalls: calls.map((call, index) => ({ id: `call_${index}`, name: call.name, arguments: call.arguments ?? {} })) }, { text: 'done' });
  expect(await acp.agent.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'use the tools' }] })).toMatchObject({ stopReason: 'end_turn' });
  return { offered: toolsOffered(llm.requests[before].body), results: toolResultsSent(llm.requests.at(-1)!.body) };
}

describe("an editor's MCP servers", () => {
  it('are advertised for stdio and HTTP, not SSE', () => {
    expect(acp.initialized.agentCapabilities?.mcpCapabilities).toEqual({ http: true, sse: false });
  });

  it("become extensions of the session/new's session: the model calls their tools there, another session is not offered them", async () => {
    const sessionId = await newSession([
      stdioServer('Fixture Server.v2', [{ name: 'FIXTURE_MARK', value: 'from-the-editor' }]),
      { type: 'http', name: 'developer', url: mcpHttp.url, headers: [{ name: 'X-Editor-Token', value: 'tok-123' }] },
    ]);
    // Names made fit for goosed, and apart from the server-wide `developer`.
    const own = await json(`/api/sessions/${sessionId}/extensions`);
    expect(own).toEqual([
      expect.objectContaining({ name: 'Fixture-Server-v2', type: 'stdio', session_id: sessionId, config: expect.objectContaining({ cwd: workDir, env: { FIXTURE_MARK: '********' } }) }),
      expect.objectContaining({ name: 'developer-2', type: 'streamable_http', session_id: sessionId, config: { url: mcpHttp.url, headers: { 'X-Editor-Token': '********' } } }),
    ]);
    expect((await json('/api/extensions')).map((extension: any) => extension.name)).toEqual(['developer']);

    const { offered, results } = await promptCalling(sessionId, [{ name: 'Fixture-Server-v2__environment' }, { name: 'developer-2__echo', arguments: { text: 'over http' } }]);
    expect(offered).toEqual(expect.arrayContaining(['developer__view', 'Fixture-Server-v2__environment', 'developer-2__echo']));
    expect(JSON.parse(results[0])).toMatchObject({ FIXTURE_MARK: 'from-the-editor' });
    expect(results[1]).toBe('over http');
    expect(mcpHttp.requestHeaders.some((headers) => headers['x-editor-token'] === 'tok-123')).toBe(true);
    const updates = acp.updatesOf(sessionId).filter((update) => update.sessionUpdate === 'tool_call_update' && update.status !== 'in_progress');
    expect(updates.map((update) => (update as { status?: string }).status)).toEqual(['completed', 'completed']);

    const other = await newSession([]);
    const elsewhere = await promptCalling(other, [{ name: 'Fixture-Server-v2__environment' }]);
    expect(elsewhere.offered).toContain('developer__view');
    expect(elsewhere.offered.filter((name) => name.startsWith('Fixture-Server-v2__') || name.startsWith('developer-2__'))).toEqual([]);
    expect(elsewhere.results[0]).toMatch(/unknown tool|not available|no tool/i);
  });

  it('stop with their session, and session/load replaces them with the list the editor gives then', async () => {
    const doomed = await newSession([stdioServer('notes')]);
    const pid = Number((await promptCalling(doomed, [{ name: 'notes__pid' }])).results[0]);
    expect(processIsRunning(pid)).toBe(true);
    expect((await api.request(`/api/sessions/${doomed}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(() => !processIsRunning(pid));

    const reloaded = await newSession([stdioServer('notes')]);
    const before = Number((await promptCalling(reloaded, [{ name: 'notes__pid' }])).results[0]);
    await acp.agent.request('session/load', { sessionId: reloaded, cwd: workDir, mcpServers: [stdioServer('other-notes')] });
    await waitFor(() => !processIsRunning(before));
    expect((await json(`/api/sessions/${reloaded}/extensions`)).map((extension: any) => extension.name)).toEqual(['other-notes']);
    const { offered } = await promptCalling(reloaded, [{ name: 'other-notes__echo', arguments: { text: 'new list' } }]);
    expect(offered).toContain('other-notes__echo');
    expect(offered.filter((name) => name.startsWith('notes__'))).toEqual([]);
  });

  it('of a kind goosed does not take (SSE) fail session/new with invalid params, and leave no session behind', async () => {
    const sessionsBefore = (await json('/api/sessions?limit=100')).length;
    const error = await acp.agent
      .request('session/new', { cwd: workDir, mcpServers: [{ type: 'sse', name: 'old', url: 'http://127.0.0.1:1/sse', headers: [] }] })
      .then(() => null, (caught: unknown) => caught as RequestError);
    expect(error).toMatchObject({ code: -32602 });
    expect(error!.message).toContain('SSE');
    expect((await json('/api/sessions?limit=100')).length).toBe(sessionsBefore);
    expect(acp.child.exitCode).toBeNull();
  });
});
