// Helpers for tests that give goosed tools: extensions added through the HTTP API, the stdio MCP
// fixture as a command line, and waiting for a reply to reach an approval or its end.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readProcStat } from '../../src/extensions/process-group.js';
import { waitFor, type ApiClient } from './goosed.js';
import { isReplyEnd, readSse, type SseFrame } from './sse-client.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STDIO_SERVER = fileURLToPath(new URL('../fixtures/mcp-stdio-server.ts', import.meta.url));

/** The stdio MCP test server as an extension config (`node --import tsx test/fixtures/mcp-stdio-server.ts`). */
export function stdioFixtureConfig(flags: string[] = []): Record<string, unknown> {
  return { command: process.execPath, args: ['--import', 'tsx', STDIO_SERVER, ...flags], cwd: REPO_ROOT, timeout_ms: 15_000 };
}

/** The same server as a command line that runs in any directory (tsx by its path): what an editor gives `goosed acp`. */
export function stdioFixtureCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, STDIO_SERVER] };
}

export async function addExtension(goosed: ApiClient, body: Record<string, unknown>): Promise<{ id: string; name: string; [key: string]: any }> {
  const response = await goosed.request('/api/extensions', { method: 'POST', json: body });
  if (response.status !== 201) throw new Error(`adding an extension failed: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function getExtension(goosed: ApiClient, idOrName: string): Promise<any> {
  const response = await goosed.request(`/api/extensions/${idOrName}`);
  if (response.status !== 200) throw new Error(`GET extension failed: ${response.status} ${await response.text()}`);
  return response.json();
}

export async function listMessages(goosed: ApiClient, sessionId: string): Promise<any[]> {
  return (await goosed.request(`/api/sessions/${sessionId}/messages`)).json();
}

/** The pending approvals of a session, once there is at least `count` of them. */
export async function waitForPendingApprovals(goosed: ApiClient, sessionId: string, count = 1): Promise<any[]> {
  return waitFor(
    async () => (await goosed.request(`/api/sessions/${sessionId}/approvals?status=pending`)).json(),
    (approvals: any[]) => approvals.length >= count,
  );
}

export function answerApproval(goosed: ApiClient, sessionId: string, approvalId: string, decision: string, message?: string): Promise<Response> {
  return goosed.request(`/api/sessions/${sessionId}/approvals/${approvalId}`, { method: 'POST', json: { decision, message } });
}

/** The last assistant message once it is no longer running. */
export async function waitForReplyEnd(goosed: ApiClient, sessionId: string, timeoutMs = 15_000): Promise<any> {
  const messages = await waitFor(
    () => listMessages(goosed, sessionId),
    (list: any[]) => list.at(-1)?.role === 'assistant' && list.at(-1)?.status !== 'running',
    timeoutMs,
  );
  return messages.at(-1);
}

/**
 * Sends a message and reads its reply to the end: the frames, and the tool results by the call id the
 * scripted model gave (tool_result names a call by goosed's own id; the final message's parts keep the
 * provider's beside it).
 */
export async function streamReply(goosed: ApiClient, sessionId: string, content: string, onFrame?: (frame: SseFrame) => void): Promise<{ frames: SseFrame[]; results: Map<string, any> }> {
  const response = await goosed.request(`/api/sessions/${sessionId}/messages/stream`, { method: 'POST', json: { content } });
  const frames = await readSse(response, (frame) => {
    onFrame?.(frame);
    return isReplyEnd(frame);
  });
  return { frames, results: resultsByScriptedId(frames) };
}

/** The tool_result frames of a reply, by the id the scripted model gave each call. */
export function resultsByScriptedId(frames: SseFrame[]): Map<string, any> {
  const parts: any[] = frames.findLast((frame) => frame.event === 'message_complete')?.data.message.parts ?? [];
  const scriptedIds = new Map(parts.map((part) => [part.id, part.provider_call_id ?? part.id]));
  return new Map(frames.filter((frame) => frame.event === 'tool_result').map((frame) => [scriptedIds.get(frame.data.id) ?? frame.data.id, frame.data]));
}

/** The tool results the model was sent in an OpenAI chat-completions request body. */
export function toolResultsSent(body: any): string[] {
  return (body.messages as any[]).filter((message) => message.role === 'tool').map((message) => String(message.content));
}

/** The tool names offered in an OpenAI chat-completions request body (none: []). */
export function toolsOffered(body: any): string[] {
  return ((body.tools ?? []) as any[]).map((tool) => tool.function.name);
}

/** Alive and not a zombie (PID 1 in a container may never reap orphans). */
export function processIsRunning(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
}
