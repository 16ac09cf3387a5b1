// Tools that misbehave: MCP servers that exit at start, exit mid-call, hang, freeze or print garbage
// on stdout; shell commands that flood output, fork children that never end, or ignore SIGTERM.
// Each time: goosed stays up, the call gets an error result, the reply goes on to completion, and
// no process the tool started is left running (checked in /proc, by a marker in its environment).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { RecordedRequest, ScriptedLlm } from './support/scripted-llm.js';
import { createSession, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { isReplyEnd, readSse } from './support/sse-client.js';
import { getExtension, stdioFixtureConfig } from './support/extensions.js';

const MARKER = `GOOSED_FAULT_TEST=${process.pid}`;
// The shell commands' processes are found by their command lines, made unique to this run: the
// machine may run other `sleep`s (a shared CI host), which must not count as left behind.
const SLEEP = 9_000_000 + (process.pid % 100_000) * 10;
const FLOOD_LINE = `goosed-flood-line-${process.pid}`;

interface FaultCase {
  name: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** What the error result says (a regular expression source). */
  result: RegExp;
  /** Set for cases whose result may be a success (a server that recovers from garbage). */
  mayRecover?: boolean;
}

const CASES: FaultCase[] = [
  { name: 'an MCP server that exits at start', tool: 'exits__echo', arguments: { text: 'hi' }, result: /no tool named exits__echo/i },
  { name: 'an MCP server that exits mid-call', tool: 'crashes__crash', arguments: {}, result: /crashes__crash|closed|exited|connection/i },
  { name: 'an MCP server that never answers', tool: 'hangs__hang', arguments: {}, result: /timed out/i },
  { name: 'an MCP server that blocks its event loop', tool: 'freezes__freeze', arguments: {}, result: /timed out/i },
  { name: 'an MCP server that prints garbage on stdout', tool: 'garbage__echo', arguments: { text: 'through the garbage' }, result: /through the garbage|garbage__echo/i, mayRecover: true },
  { name: 'a shell command that floods its output', tool: 'developer__shell', arguments: { command: `yes ${FLOOD_LINE}` }, result: /timed out|truncated|capped|limit/i },
  { name: 'a shell command whose children never end', tool: 'developer__shell', arguments: { command: `for i in 1 2 3 4; do sleep ${SLEEP + 1} & done; sh -c "sleep ${SLEEP + 2}" & wait` }, result: /timed out/i },
  { name: 'a shell command that ignores SIGTERM', tool: 'developer__shell', arguments: { command: `trap '' TERM; sh -c "trap '' TERM; sleep ${SLEEP + 3}" & sleep ${SLEEP + 4}; wait` }, result: /timed out/i },
];

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  const env = { GOOSED_FAULT_TEST: String(process.pid) };
  harness = await startReplyHarness({
    // Tool calls time out after 1.5 s here (the default is two minutes).
    settings: { tool_timeout_ms: 1500 },
    workDirectoryPrefix: 'goosed-faults-',
    extensions: [
      { name: 'developer', config: { allow_shell: true, kill_grace_ms: 300, max_output_bytes: 64 * 1024 } },
      { name: 'exits', config: { ...stdioFixtureConfig(['--exit-at-start']), env } },
      { name: 'crashes', config: { ...stdioFixtureConfig(), env } },
      { name: 'hangs', config: { ...stdioFixtureConfig(), env } },
      { name: 'freezes', config: { ...stdioFixtureConfig(), env } },
      { name: 'garbage', config: { ...stdioFixtureConfig(['--garbage-first']), env } },
    ],
  });
  ({ llm, goosed, workDir } = harness);
});
afterAll(() => harness?.close());

/** Live processes (zombies do not count) carrying this test's marker in their environment, or matching a command line. */
function leftovers(which: { marked?: boolean; commandLine?: RegExp }): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const marked = which.marked && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARKER);
      if (marked || which.commandLine?.test(command)) found.push(`${pid} ${command}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
const SHELL_LEFTOVERS = { commandLine: new RegExp(`sleep ${SLEEP + 1}|sleep ${SLEEP + 2}|sleep ${SLEEP + 3}|sleep ${SLEEP + 4}|yes ${FLOOD_LINE}`) };

const forCase = (tag: string) => (request: RecordedRequest) => JSON.stringify((request.body.messages as any[]).findLast((m) => m.role === 'user')?.content ?? '').includes(tag);

describe('tools that misbehave', () => {
  for (const [index, fault] of CASES.entries()) {
    it(fault.name, async () => {
      const session = await createSession(goosed, { working_directory: workDir, execution_mode: 'auto' });
      const tag = `[fault ${index}]`;
      llm.enqueue(
        { match: forCase(tag), toolCalls: [{ id: `call_fault_${index}`, name: fault.tool, arguments: fault.arguments }] },
        { match: forCase(tag), text: 'The tool failed; carrying on.' },
      );
      const frames = await readSse(await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: `${tag} use the tool` } }), isReplyEnd, 30_000);
      const result = frames.find((f) => f.event === 'tool_result')?.data;
      expect(result, 'a tool result').toBeTruthy();
      if (!fault.mayRecover) expect(result.is_error, result.content).toBe(true);
      expect(result.content).toMatch(fault.result);
      expect(result.content.length, 'output is capped').toBeLessThan(200 * 1024);
      expect(frames.at(-1)).toMatchObject({ event: 'message_complete', data: { message: { status: 'complete', content: 'The tool failed; carrying on.' } } });
      // A dead server is shown as failed, with the reason (it is started again on next use).
      if (fault.name.includes('exits')) {
        const extension = await getExtension(goosed, fault.tool.split('__')[0]);
        expect(extension.state).toBe('failed');
        expect(extension.last_error).toBeTruthy();
      }

      // goosed is up and the session goes on.
      expect((await goosed.request('/api/status')).status).toBe(200);
      llm.enqueue({ match: forCase(`${tag} again`), text: 'fine' });
      expect((await (await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: `${tag} again` } })).json()).content).toBe('fine');
      // Nothing the shell started outlives the call (MCP servers still in use are checked at the end).
      await waitFor(() => leftovers(SHELL_LEFTOVERS), (list) => list.length === 0, 5000);
    }, 60_000);
  }

  it('leaves no MCP server process behind once goosed stops', async () => {
    expect(leftovers({ marked: true }).length, 'the MCP servers ran').toBeGreaterThan(0);
    await goosed.close();
    await waitFor(() => leftovers({ marked: true, ...SHELL_LEFTOVERS }), (list) => list.length === 0, 10_000);
  });
});
