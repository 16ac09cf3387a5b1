import { RequestError, type McpServer } from '@agentclientprotocol/sdk';
import { dataOf, type GoosedClient } from '../client/create-client.js';
import type { AddExtensionRequest } from '../client/types.js';

/** goosed's limit: an extension's name prefixes its tools' names, which providers cap at 64 characters. */
const MAX_NAME = 32;

/**
 * The MCP servers an editor gives a session, as extension requests of that session. Names become
 * goosed extension names (a letter first, then letters, digits, `-`, `_`, no `__`, at most 32),
 * distinct from each other and from `taken` (the server-wide extensions'). A stdio server runs in
 * the session's working directory. SSE servers are refused: `initialize` does not offer them.
 */
export function extensionRequestsOf(servers: McpServer[], workingDirectory: string, taken: Iterable<string>): AddExtensionRequest[] {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  return servers.map((server) => {
    const name = uniqueName(server.name, used);
    if ('type' in server && server.type === 'http') {
      return { name, type: 'streamable_http', config: { url: server.url, headers: Object.fromEntries(server.headers.map((header) => [header.name, header.value])) } };
    }
    if ('type' in server && server.type === 'sse') {
      throw RequestError.invalidParams({ mcpServer: server.name }, `The MCP server "${server.name}" speaks SSE; goosed takes stdio and HTTP MCP servers.`);
    }
    const stdio = server as Extract<McpServer, { command: string }>;
    return {
      name,
      type: 'stdio',
      config: { command: stdio.command, args: stdio.args, env: Object.fromEntries(stdio.env.map((variable) => [variable.name, variable.value])), cwd: workingDirectory },
    };
  });
}

/**
 * Gives a goosed session the editor's MCP servers as its own extensions, in place of any it had
 * (session/load may bring another list than the session was made with).
 */
export async function giveSessionMcpServers(api: GoosedClient, sessionId: string, servers: McpServer[], workingDirectory: string): Promise<void> {
  const path = { params: { path: { id: sessionId } } };
  const [serverWide, current] = await Promise.all([dataOf(api.GET('/api/extensions')), dataOf(api.GET('/api/sessions/{id}/extensions', path))]);
  const requests = extensionRequestsOf(servers, workingDirectory, serverWide.map((extension) => extension.name));
  for (const extension of current) {
    await dataOf(api.DELETE('/api/sessions/{id}/extensions/{extension_id}', { params: { path: { id: sessionId, extension_id: extension.id } } }));
  }
  for (const body of requests) await dataOf(api.POST('/api/sessions/{id}/extensions', { ...path, body }));
}

/** An editor's server name as a goosed extension name, not one of `used` (case aside), which it joins. */
function uniqueName(given: string, used: Set<string>): string {
  let base = given
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/[-_]+$/, '');
  if (base === '') base = 'mcp';
  base = base.slice(0, MAX_NAME);
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, MAX_NAME - String(n).length - 1)}-${n}`;
  used.add(name.toLowerCase());
  return name;
}
