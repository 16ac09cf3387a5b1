import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpExtensionConfig } from '../src/extensions/mcp/mcp-config.js';
import { createMcpExtension } from '../src/extensions/mcp/mcp-extension.js';
import { createToolSource } from '../src/extensions/create-tool-source.js';
import { ExtensionConfigError } from '../src/extensions/extension-errors.js';
import { readProcStat } from '../src/extensions/process-group.js';
import type { ToolCallContext, ToolProgress, ToolSource } from '../src/extensions/tool.js';
import { startMcpHttpServer, type McpHttpServer } from './fixtures/mcp-http-server.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const STDIO_SERVER = fileURLToPath(new URL('./fixtures/mcp-stdio-server.ts', import.meta.url));

function stdioConfig(flags: string[] = [], timeoutMs = 10_000): McpExtensionConfig {
  return { type: 'stdio', command: process.execPath, args: ['--import', 'tsx', STDIO_SERVER, ...flags], cwd: REPO_ROOT, timeout_ms: timeoutMs };
}

function contextWith(overrides: Partial<ToolCallContext> = {}): ToolCallContext {
  return { workingDirectory: REPO_ROOT, signal: new AbortController().signal, timeoutMs: 10_000, ...overrides };
}

/** Running means alive and not a zombie (PID 1 in a container may never reap orphans). */
function processIsRunning(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z';
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(20);
  }
}

async function pidOf(extension: ToolSource, tool: 'pid' | 'spawn_child'): Promise<number> {
  const result = await extension.callTool(tool, {}, contextWith());
  if (result.isError) throw new Error(`${tool} failed: ${result.content}`);
  return Number(result.content);
}

/** The calls every transport must get right; `extension` is created by the caller's beforeAll. */
function describeWellBehavedServer(getExtension: () => ToolSource): void {
  it('lists tools with readOnly from the readOnlyHint annotation', async () => {
    const tools = await getExtension().listTools();
    const readOnly = Object.fromEntries(tools.map((tool) => [tool.name, tool.readOnly]));
    expect(readOnly).toMatchObject({ echo: true, write_note: false, add: false, slow: false, hang: false });
    expect(tools.find((tool) => tool.name === 'add')?.inputSchema).toMatchObject({ type: 'object', required: ['a', 'b'] });
    expect(getExtension().state).toBe('running');
  });

  it('calls echo and add', async () => {
    expect(await getExtension().callTool('echo', { text: 'hello' }, contextWith())).toEqual({ content: 'hello', isError: false });
    expect(await getExtension().callTool('add', { a: 2, b: 40 }, contextWith())).toEqual({ content: '42', isError: false });
  });

  it('passes progress notifications to onProgress', async () => {
    const progress: ToolProgress[] = [];
    const result = await getExtension().callTool('slow', { ms: 200, steps: 4 }, contextWith({ onProgress: (update) => progress.push(update) }));
    expect(result).toEqual({ content: 'slept 200 ms', isError: false });
    // The SDK handles a notification one microtask after it arrives, so the last one can lose the
    // race with the result that follows it on the wire.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.slice(0, 3)).toEqual([1, 2, 3].map((step) => ({ progress: step, total: 4, message: `step ${step}` })));
  });

  it('turns tool errors, unknown tools and non-text content into results, and stays running', async () => {
    expect(await getExtension().callTool('fail', {}, contextWith())).toEqual({ content: 'it went wrong', isError: true });
    expect(await getExtension().callTool('no_such_tool', {}, contextWith())).toMatchObject({ isError: true });
    expect((await getExtension().callTool('mixed_content', {}, contextWith())).content).toBe('a picture:\n[image omitted: image/png, 16 bytes]');
    expect(getExtension().state).toBe('running');
  });

  it('gives a tool that never answers an error result at the timeout; the server stays usable', async () => {
    const started = Date.now();
    const result = await getExtension().callTool('hang', {}, contextWith({ timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/timed out|did not finish/);
    await delay(100); // the liveness ping answers: one hung tool is not a hung server
    expect(getExtension().state).toBe('running');
    expect((await getExtension().callTool('echo', { text: 'still here' }, contextWith())).content).toBe('still here');
  });

  it('cancels a call when the reply is aborted', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const result = await getExtension().callTool('slow', { ms: 5_000 }, contextWith({ signal: abort.signal }));
    expect(result).toMatchObject({ isError: true, content: expect.stringContaining('cancelled') });
    expect(getExtension().state).toBe('running');
  });

  it('refreshes its cached tool list when the server announces list_changed', async () => {
    expect((await getExtension().listTools()).map((tool) => tool.name)).not.toContain('extra');
    await getExtension().callTool('enable_extra_tool', {}, contextWith());
    let names: string[] = [];
    for (let attempt = 0; attempt < 50 && !names.includes('extra'); attempt++) {
      names = (await getExtension().listTools()).map((tool) => tool.name);
      await delay(20);
    }
    expect(names).toContain('extra');
  });
}

describe('MCP extension over stdio', () => {
  let extension: ToolSource;
  beforeAll(() => {
    extension = createMcpExtension('fixture', stdioConfig());
  });
  afterAll(() => extension.close());

  it('starts nothing until it is first used', () => {
    expect(extension.state).toBe('stopped');
    expect(extension.lastError).toBeNull();
  });

  describeWellBehavedServer(() => extension);
});

// Each test starts its own server (about a second with tsx), so they run side by side.
describe.concurrent('MCP extension over stdio: misbehaving servers', () => {
  async function withExtension(flags: string[], test: (extension: ToolSource) => Promise<void>): Promise<void> {
    const extension = createMcpExtension('fixture', stdioConfig(flags));
    try {
      await test(extension);
    } finally {
      await extension.close();
    }
  }

  it('a crash mid-call gives an error result and marks it failed; the next call restarts it', ({ expect }) =>
    withExtension([], async (extension) => {
      const serverPid = await pidOf(extension, 'pid');
      const grandchildPid = await pidOf(extension, 'spawn_child');
      const result = await extension.callTool('crash', {}, contextWith());
      expect(result.isError).toBe(true);
      expect(result.content).toContain('exited with code 3');
      expect(extension.state).toBe('failed');
      expect(extension.lastError).toContain('crashing on purpose');
      await waitFor(() => !processIsRunning(serverPid) && !processIsRunning(grandchildPid));

      expect(await extension.callTool('echo', { text: 'back' }, contextWith())).toEqual({ content: 'back', isError: false });
      expect(extension.state).toBe('running');
      expect(await pidOf(extension, 'pid')).not.toBe(serverPid);
    }));

  it('a server that stops answering altogether is failed after a timed-out call, killed, and restarted', ({ expect }) =>
    withExtension([], async (extension) => {
      const serverPid = await pidOf(extension, 'pid');
      const result = await extension.callTool('freeze', {}, contextWith({ timeoutMs: 400 }));
      expect(result).toMatchObject({ isError: true, content: expect.stringContaining('timed out') });
      await waitFor(() => extension.state === 'failed');
      expect(extension.lastError).toContain('stopped responding');
      await waitFor(() => !processIsRunning(serverPid));
      expect(await extension.callTool('add', { a: 1, b: 1 }, contextWith())).toEqual({ content: '2', isError: false });
    }));

  it('a server that exits at start leaves the extension failed with the reason', ({ expect }) =>
    withExtension(['--exit-at-start'], async (extension) => {
      await expect(extension.listTools()).rejects.toThrow(/could not start.*exited with code 7/);
      expect(extension.state).toBe('failed');
      expect(extension.lastError).toContain('exiting at start on purpose');
      const result = await extension.callTool('echo', { text: 'x' }, contextWith());
      expect(result).toMatchObject({ isError: true, content: expect.stringContaining('could not start') });
    }));

  it('a command that does not exist gives an error result, not an exception', async ({ expect }) => {
    const extension = createMcpExtension('missing', { type: 'stdio', command: '/nonexistent/mcp-server' });
    const result = await extension.callTool('echo', {}, contextWith());
    expect(result).toMatchObject({ isError: true, content: expect.stringContaining('ENOENT') });
    expect(extension.state).toBe('failed');
    await extension.close();
  });

  it('garbage on stdout before MCP is skipped; the server still works', ({ expect }) =>
    withExtension(['--garbage-first'], async (extension) => {
      const result = await extension.callTool('echo', { text: 'through the noise' }, contextWith());
      expect(result).toEqual({ content: 'through the noise', isError: false });
    }));

  it('close() stops the server and every process it started', ({ expect }) =>
    withExtension([], async (extension) => {
      const serverPid = await pidOf(extension, 'pid');
      const grandchildPid = await pidOf(extension, 'spawn_child');
      await extension.close();
      expect(extension.state).toBe('stopped');
      expect(processIsRunning(serverPid)).toBe(false);
      expect(processIsRunning(grandchildPid)).toBe(false);
    }));
});

describe('MCP extension over stdio: memory', () => {
  it('keeps no copy of a big result once the result is read', async () => {
    // A full collection on demand, so that what is still referenced can be told from garbage.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const extension = createMcpExtension('big', { ...stdioConfig(), max_output_bytes: 8 * 1024 * 1024 });
    // What a collection frees outside the heap is given back a little after it: read again until it holds.
    const arrayBuffersAfterGc = async (settled: (bytes: number, previous: number) => boolean) => {
      let previous = -1;
      const deadline = Date.now() + 10_000;
      for (;;) {
        collectGarbage();
        await delay(20);
        const bytes = process.memoryUsage().arrayBuffers;
        if (settled(bytes, previous) || Date.now() > deadline) return bytes;
        previous = bytes;
      }
    };
    try {
      await extension.callTool('echo', { text: 'started' }, contextWith());
      const before = await arrayBuffersAfterGc((bytes, previous) => bytes === previous);
      const result = await extension.callTool('big_text', { bytes: 4_000_000 }, contextWith());
      expect(result.content.length).toBe(4_000_000);
      // The result is a string (in the heap); the 4 MB of bytes it was read from must be let go.
      expect((await arrayBuffersAfterGc((bytes) => bytes - before < 1_000_000)) - before).toBeLessThan(1_000_000);
    } finally {
      await extension.close();
    }
  });
});

describe('MCP extension over streamable HTTP', () => {
  let server: McpHttpServer;
  let extension: ToolSource;
  beforeAll(async () => {
    server = await startMcpHttpServer();
    extension = createMcpExtension('remote', { type: 'streamable_http', url: server.url, headers: { 'x-api-key': 'test-key' } });
  });
  afterAll(async () => {
    await extension.close();
    await server.close();
  });

  describeWellBehavedServer(() => extension);

  it('sends the configured headers', () => {
    expect(server.requestHeaders.length).toBeGreaterThan(0);
    expect(server.requestHeaders.every((headers) => headers['x-api-key'] === 'test-key')).toBe(true);
  });

  it('a server that went away gives an error result and marks the extension failed', async () => {
    const gone = await startMcpHttpServer();
    const remote = createMcpExtension('gone', { type: 'streamable_http', url: gone.url, timeout_ms: 2_000 });
    expect((await remote.callTool('echo', { text: 'a' }, contextWith())).content).toBe('a');
    await gone.close();
    const result = await remote.callTool('echo', { text: 'b' }, contextWith());
    expect(result.isError).toBe(true);
    expect(remote.state).toBe('failed');
    expect(remote.lastError).toBeTruthy();
    await remote.close();
  });
});

describe('createToolSource', () => {
  it('builds the developer extension, MCP extensions (without starting them), and rejects unknown built-ins', async () => {
    const developer = createToolSource({ name: 'developer', type: 'builtin', config: {} });
    expect((await developer.listTools()).map((tool) => tool.name)).toContain('shell');
    const stdio = createToolSource({ name: 'files', type: 'stdio', config: { command: 'some-mcp-server' } });
    expect(stdio.state).toBe('stopped');
    const http = createToolSource({ name: 'remote', type: 'streamable_http', config: { url: 'http://127.0.0.1:1/mcp' } });
    expect(http.state).toBe('stopped');
    expect(() => createToolSource({ name: 'computer', type: 'builtin', config: {} })).toThrow(/Unknown built-in extension "computer".*developer/);
    expect(() => createToolSource({ name: 'bad', type: 'streamable_http', config: { url: 'not a url' } })).toThrow(ExtensionConfigError);
    expect(() => createToolSource({ name: 'developer', type: 'builtin', config: { allow_shell: 'yes' } })).toThrow(/The config of extension "developer" is not valid: config\.allow_shell/);
  });
});
