import { mkdtemp, readFile, realpath, rm, symlink, writeFile, mkdir, access } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeveloperExtension } from '../src/extensions/developer/index.js';
import type { ToolCallContext, ToolSource } from '../src/extensions/tool.js';

let workingDirectory: string;
let outsideDirectory: string;
let extension: ToolSource;

function contextFor(signal = new AbortController().signal): ToolCallContext {
  return { workingDirectory, signal, timeoutMs: 60_000 };
}

function call(name: string, args: Record<string, unknown>, signal?: AbortSignal) {
  return extension.callTool(name, args, contextFor(signal));
}

/** Alive means running: a zombie (dead, not yet reaped by PID 1) counts as gone. */
function processIsRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitForFile(filePath: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const content = await readFile(filePath, 'utf8').catch(() => '');
    if (content.trim() !== '') return content.trim();
    await delay(20);
  }
  throw new Error(`${filePath} never appeared`);
}

beforeEach(async () => {
  workingDirectory = await realpath(await mkdtemp(path.join(os.tmpdir(), 'goosed-dev-')));
  outsideDirectory = await realpath(await mkdtemp(path.join(os.tmpdir(), 'goosed-outside-')));
  extension = createDeveloperExtension({ allow_shell: true, kill_grace_ms: 300 });
});

afterEach(async () => {
  await extension.close();
  await rm(workingDirectory, { recursive: true, force: true });
  await rm(outsideDirectory, { recursive: true, force: true });
});

describe('developer extension: tool list', () => {
  it('declares shell and the editor tools, view as read-only', async () => {
    const tools = await extension.listTools();
    expect(tools.map((tool) => [tool.name, tool.readOnly])).toEqual([
      ['shell', false],
      ['view', true],
      ['create', false],
      ['str_replace', false],
      ['insert', false],
      ['undo', false],
    ]);
    const shell = tools[0];
    expect(shell.inputSchema).toMatchObject({ type: 'object', required: ['command'] });
    expect(shell.inputSchema).not.toHaveProperty('$schema');
  });

  it('answers an unknown tool and invalid arguments with error results', async () => {
    expect(await call('rm_rf', {})).toMatchObject({ isError: true, content: expect.stringContaining('no tool named') });
    expect(await call('view', { path: 42 })).toMatchObject({ isError: true, content: expect.stringContaining('Invalid arguments for view') });
  });
});

describe('developer extension: shell', () => {
  it('runs in the working directory, with stderr and the exit code', async () => {
    const result = await call('shell', { command: 'pwd; echo to-stderr >&2; exit 3' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain(workingDirectory);
    expect(result.content).toContain('to-stderr');
    expect(result.content).toContain('[exit code 3]');
    expect(await call('shell', { command: 'echo hello' })).toEqual({ content: 'hello\n', isError: false });
  });

  it('refuses when allow_shell is not set, and says how to enable it', async () => {
    const locked = createDeveloperExtension({});
    const result = await locked.callTool('shell', { command: 'touch should-not-exist' }, contextFor());
    expect(result.isError).toBe(true);
    expect(result.content).toContain('disabled');
    expect(result.content).toContain('{"name":"developer","config":{"allow_shell":true}}');
    await expect(access(path.join(workingDirectory, 'should-not-exist'))).rejects.toThrow();
  });

  it('kills a command that outlives its timeout', async () => {
    const started = Date.now();
    const result = await call('shell', { command: 'echo before; sleep 30', timeout_ms: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.isError).toBe(true);
    expect(result.content).toContain('before');
    expect(result.content).toMatch(/timed out after 300 ms/);
  });

  it('on abort kills the whole process group, a forked child included', async () => {
    const abort = new AbortController();
    const pending = call('shell', { command: 'sleep 60 & echo $! > child.pid; wait' }, abort.signal);
    const childPid = Number(await waitForFile(path.join(workingDirectory, 'child.pid')));
    expect(processIsRunning(childPid)).toBe(true);
    abort.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.content).toContain('cancelled');
    expect(processIsRunning(childPid)).toBe(false);
  });

  it('a cancel that comes while the shell is being looked up is not missed', async () => {
    // A fresh copy of the module, whose first command looks the shell up on disk (thread pool).
    vi.resetModules();
    const { runCommand } = await import('../src/extensions/developer/run-command.js');
    const abort = new AbortController();
    const started = Date.now();
    const pending = runCommand('sleep 30', { cwd: workingDirectory, timeoutMs: 60_000, signal: abort.signal, maxOutputBytes: 1000, killGraceMs: 300 });
    setImmediate(() => abort.abort());
    const outcome = await pending;
    expect(outcome.stoppedBecause).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('on abort also kills a child that traps SIGTERM (SIGKILL after the grace period)', async () => {
    const abort = new AbortController();
    const stubborn = `bash -c 'trap "echo ignoring TERM" TERM; echo $$ > child.pid; while true; do sleep 0.05; done' & wait`;
    const pending = call('shell', { command: stubborn }, abort.signal);
    const childPid = Number(await waitForFile(path.join(workingDirectory, 'child.pid')));
    abort.abort();
    const result = await pending;
    expect(result.content).toContain('cancelled');
    expect(processIsRunning(childPid)).toBe(false);
  });

  it('close() stops the commands that are running', async () => {
    const pending = call('shell', { command: 'sleep 30 & echo $! > child.pid; wait' });
    const childPid = Number(await waitForFile(path.join(workingDirectory, 'child.pid')));
    await extension.close();
    expect(processIsRunning(childPid)).toBe(false);
    expect((await pending).content).toContain('cancelled');
  });

  it('keeps the head and tail of a flood of output, with a note on what was dropped', async () => {
    const small = createDeveloperExtension({ allow_shell: true, max_output_bytes: 10_000 });
    const result = await small.callTool('shell', { command: "echo START; head -c 3000000 /dev/zero | tr '\\0' x; echo; echo END" }, contextFor());
    expect(result.isError).toBe(false);
    expect(result.content.length).toBeLessThan(10_200);
    expect(result.content.startsWith('START\n')).toBe(true);
    expect(result.content.endsWith('END\n')).toBe(true);
    // 6 + 3,000,000 + 1 + 4 bytes were written; 10,000 are kept.
    expect(result.content).toContain('[... 2990011 bytes of output omitted');
  });

  it('returns when the command exits even if a background job keeps its output open', async () => {
    const started = Date.now();
    const result = await call('shell', { command: 'sleep 5 & echo started' });
    expect(result).toEqual({ content: 'started\n', isError: false });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('developer extension: text editor', () => {
  it('views a file with numbered lines, a range of it, and a directory', async () => {
    await writeFile(path.join(workingDirectory, 'notes.txt'), 'one\ntwo\nthree\nfour\n');
    await mkdir(path.join(workingDirectory, 'sub'));
    const whole = await call('view', { path: 'notes.txt' });
    expect(whole.content).toContain('     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour');
    const range = await call('view', { path: path.join(workingDirectory, 'notes.txt'), view_range: [2, 3] });
    expect(range.content).toContain('lines 2-3 of 4');
    expect(range.content).toContain('     2\ttwo\n     3\tthree');
    expect(range.content).not.toContain('four');
    expect((await call('view', { path: 'notes.txt', view_range: [3, -1] })).content).toContain('     4\tfour');
    expect(await call('view', { path: 'notes.txt', view_range: [9, 10] })).toMatchObject({ isError: true });
    const listing = await call('view', { path: '.' });
    expect(listing.content).toContain('notes.txt');
    expect(listing.content).toContain('sub/');
  });

  it('refuses to view files over the size cap and binary files', async () => {
    await writeFile(path.join(workingDirectory, 'big.txt'), 'x'.repeat(3 * 1024 * 1024));
    await writeFile(path.join(workingDirectory, 'blob.bin'), Buffer.from([1, 0, 2]));
    expect(await call('view', { path: 'big.txt' })).toMatchObject({ isError: true, content: expect.stringContaining('limit') });
    expect(await call('view', { path: 'blob.bin' })).toMatchObject({ isError: true, content: expect.stringContaining('binary') });
    expect(await call('view', { path: 'missing.txt' })).toMatchObject({ isError: true, content: expect.stringContaining('not found') });
  });

  it('creates files and parent directories; undo removes a created file and restores an overwritten one', async () => {
    const created = await call('create', { path: 'a/b/new.txt', file_text: 'first\n' });
    expect(created).toMatchObject({ isError: false });
    expect(await readFile(path.join(workingDirectory, 'a/b/new.txt'), 'utf8')).toBe('first\n');
    await call('create', { path: 'a/b/new.txt', file_text: 'second\n' });
    expect(await readFile(path.join(workingDirectory, 'a/b/new.txt'), 'utf8')).toBe('second\n');
    expect(await call('undo', { path: 'a/b/new.txt' })).toMatchObject({ isError: false });
    expect(await readFile(path.join(workingDirectory, 'a/b/new.txt'), 'utf8')).toBe('first\n');
    await call('undo', { path: 'a/b/new.txt' });
    await expect(access(path.join(workingDirectory, 'a/b/new.txt'))).rejects.toThrow();
    expect(await call('undo', { path: 'a/b/new.txt' })).toMatchObject({ isError: true, content: expect.stringContaining('no edit') });
  });

  it('str_replace needs exactly one match, takes new_str literally, and can be undone', async () => {
    const file = path.join(workingDirectory, 'code.ts');
    await writeFile(file, 'const a = 1;\nconst b = 1;\n');
    const none = await call('str_replace', { path: 'code.ts', old_str: 'const c', new_str: 'x' });
    expect(none).toMatchObject({ isError: true, content: expect.stringContaining('not found') });
    const twice = await call('str_replace', { path: 'code.ts', old_str: ' = 1;', new_str: ' = 2;' });
    expect(twice).toMatchObject({ isError: true, content: expect.stringContaining('matches 2 times') });
    expect(await readFile(file, 'utf8')).toBe('const a = 1;\nconst b = 1;\n');
    const once = await call('str_replace', { path: 'code.ts', old_str: 'const b = 1;', new_str: "const b = '$&';" });
    expect(once.isError).toBe(false);
    expect(once.content).toContain("     2\tconst b = '$&';");
    expect(await readFile(file, 'utf8')).toBe("const a = 1;\nconst b = '$&';\n");
    await call('undo', { path: 'code.ts' });
    expect(await readFile(file, 'utf8')).toBe('const a = 1;\nconst b = 1;\n');
  });

  it('inserts at the top, after a line, and at the end', async () => {
    const file = path.join(workingDirectory, 'list.txt');
    await writeFile(file, 'b\nd\n');
    await call('insert', { path: 'list.txt', insert_line: 0, new_str: 'a' });
    await call('insert', { path: 'list.txt', insert_line: 2, new_str: 'c\n' });
    await call('insert', { path: 'list.txt', insert_line: 4, new_str: 'e\nf' });
    expect(await readFile(file, 'utf8')).toBe('a\nb\nc\nd\ne\nf\n');
    expect(await call('insert', { path: 'list.txt', insert_line: 99, new_str: 'z' })).toMatchObject({ isError: true, content: expect.stringContaining('6 lines') });
    await call('undo', { path: 'list.txt' });
    expect(await readFile(file, 'utf8')).toBe('a\nb\nc\nd\n');
  });

  it('refuses paths that resolve outside the working directory: .., absolute, symlinks', async () => {
    await writeFile(path.join(outsideDirectory, 'secret.txt'), 'secret\n');
    await symlink(outsideDirectory, path.join(workingDirectory, 'escape'));
    await symlink(path.join(outsideDirectory, 'planted.txt'), path.join(workingDirectory, 'dangling'));
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['view', { path: `../${path.basename(outsideDirectory)}/secret.txt` }],
      ['view', { path: path.join(outsideDirectory, 'secret.txt') }],
      ['view', { path: 'escape/secret.txt' }],
      ['create', { path: 'escape/new.txt', file_text: 'x' }],
      ['create', { path: 'dangling', file_text: 'planted' }],
      ['str_replace', { path: 'escape/secret.txt', old_str: 'secret', new_str: 'x' }],
    ];
    for (const [tool, args] of attempts) {
      const result = await call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(result.content).toContain('outside the working directory');
    }
    await expect(access(path.join(outsideDirectory, 'planted.txt'))).rejects.toThrow();
    await expect(access(path.join(outsideDirectory, 'new.txt'))).rejects.toThrow();
    expect(await readFile(path.join(outsideDirectory, 'secret.txt'), 'utf8')).toBe('secret\n');
  });

  it('follows a symlink that stays inside the working directory', async () => {
    await mkdir(path.join(workingDirectory, 'real'));
    await writeFile(path.join(workingDirectory, 'real/file.txt'), 'inside\n');
    await symlink(path.join(workingDirectory, 'real'), path.join(workingDirectory, 'alias'));
    expect(await call('view', { path: 'alias/file.txt' })).toMatchObject({ isError: false, content: expect.stringContaining('inside') });
  });
});
