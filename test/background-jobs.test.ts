// Jobs a shell command starts in the background (`cmd &`) may keep running after the call (a dev
// server), but never outlive goosed or the developer extension, and are forgotten once they end.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundJobs } from '../src/extensions/developer/background-jobs.js';
import { createDeveloperExtension } from '../src/extensions/developer/index.js';
import { runCommand } from '../src/extensions/developer/run-command.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, spawnGoosed, startTestServer, temporaryDirectory, useScriptedProvider, waitFor } from './support/goosed.js';
import { addExtension, processIsRunning, toolResultsSent } from './support/extensions.js';

/** Starts a job that would run for a minute, and says so with its pid. */
const START_JOB = 'sleep 60 & echo started $!';
const STARTED = /^started (\d+)\n$/;

let llm: ScriptedLlm;
let workDir: string;
const strays: number[] = [];

beforeAll(async () => {
  llm = await startScriptedLlm();
  workDir = realpathSync(temporaryDirectory('goosed-background-'));
});
afterAll(async () => {
  // A failed test must not leave a minute-long sleep behind.
  for (const pid of strays) if (processIsRunning(pid)) process.kill(pid, 'SIGKILL');
  await llm.close();
  removeDirectory(workDir);
});

/** The pid in the call's output; remembered so that it is killed even when the test fails. */
function jobPid(output: string): number {
  const match = STARTED.exec(output);
  expect(match, output).not.toBeNull();
  const pid = Number(match![1]);
  strays.push(pid);
  return pid;
}

const json = (url: string, init: RequestInit = {}) => fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

describe('a background job started by a shell call', () => {
  it('keeps running after the call, which returns at once, and is gone after goosed stops on SIGTERM', async () => {
    const dir = temporaryDirectory();
    const goosed = await spawnGoosed(['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')]);
    try {
      await json(`${goosed.url}/api/providers`, { method: 'POST', body: JSON.stringify({ name: 'openai', api_key: 'sk-background', model: 'm', base_url: `${llm.url}/v1` }) });
      expect((await json(`${goosed.url}/api/extensions`, { method: 'POST', body: JSON.stringify({ name: 'developer', config: { allow_shell: true } }) })).status).toBe(201);
      const session = await (await json(`${goosed.url}/api/sessions`, { method: 'POST', body: JSON.stringify({ name: 'jobs', working_directory: workDir, execution_mode: 'auto' }) })).json();

      llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: START_JOB } }] }, { text: 'It runs.' });
      const before = llm.requests.length;
      const started = Date.now();
      const reply = await json(`${goosed.url}/api/sessions/${session.id}/messages`, { method: 'POST', body: JSON.stringify({ content: 'start it' }) });
      expect(reply.status).toBe(200);
      expect((await reply.json()).content).toBe('It runs.');
      // Two model calls and the shell call, nowhere near the job's minute.
      expect(Date.now() - started).toBeLessThan(15_000);
      const [output] = toolResultsSent(llm.requests[before + 1].body);
      const pid = jobPid(output);
      expect(processIsRunning(pid)).toBe(true);

      // Still running a while after the call.
      await delay(300);
      expect(processIsRunning(pid)).toBe(true);

      goosed.child.kill('SIGTERM');
      expect(await goosed.exited).toBe(0);
      expect(processIsRunning(pid)).toBe(false);
    } finally {
      if (goosed.child.exitCode === null) goosed.child.kill('SIGKILL');
      removeDirectory(dir);
    }
  });

  it('is stopped when the developer extension is disabled', async () => {
    const goosed = await startTestServer();
    try {
      await useScriptedProvider(goosed, llm.url);
      await addExtension(goosed, { name: 'developer', config: { allow_shell: true, kill_grace_ms: 200 } });
      const session = await createSession(goosed, { working_directory: workDir, execution_mode: 'auto' });
      llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: START_JOB } }] }, { text: 'ok' });
      const before = llm.requests.length;
      expect((await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'start it' } })).status).toBe(200);
      const pid = jobPid(toolResultsSent(llm.requests[before + 1].body)[0]);
      expect(processIsRunning(pid)).toBe(true);

      const toggled = await goosed.request('/api/extensions/developer/toggle', { method: 'PATCH' });
      expect((await toggled.json()).enabled).toBe(false);
      expect(processIsRunning(pid)).toBe(false);
    } finally {
      await goosed.close();
    }
  });

  it('is stopped when the extension is closed, the jobs of every call', async () => {
    const extension = createDeveloperExtension({ allow_shell: true, kill_grace_ms: 200 });
    const context = { workingDirectory: workDir, signal: new AbortController().signal, timeoutMs: 60_000 };
    const first = await extension.callTool('shell', { command: START_JOB }, context);
    const second = await extension.callTool('shell', { command: START_JOB }, context);
    const pids = [jobPid(first.content), jobPid(second.content)];
    for (const pid of pids) expect(processIsRunning(pid)).toBe(true);
    await extension.close();
    for (const pid of pids) expect(processIsRunning(pid)).toBe(false);
  });

  it('is forgotten once it ends by itself', async () => {
    const jobs = new BackgroundJobs();
    const options = { cwd: workDir, timeoutMs: 60_000, signal: new AbortController().signal, maxOutputBytes: 4096, killGraceMs: 200, backgroundJobs: jobs };
    const short = await runCommand('sleep 0.5 & echo started $!', options);
    const long = await runCommand(START_JOB, options);
    const shortPid = jobPid(short.output);
    const longPid = jobPid(long.output);
    // A command without background jobs leaves nothing to hold.
    await runCommand('echo plain', options);
    expect(jobs.size).toBe(2);

    await waitFor(() => !processIsRunning(shortPid));
    jobs.prune();
    expect(jobs.size).toBe(1);
    expect(processIsRunning(longPid)).toBe(true);
    await jobs.stopAll(200);
    expect(jobs.size).toBe(0);
    expect(processIsRunning(longPid)).toBe(false);
  });

  it('is stopped when the shell exits if nothing would hold it', async () => {
    const outcome = await runCommand(START_JOB, { cwd: workDir, timeoutMs: 60_000, signal: new AbortController().signal, maxOutputBytes: 4096, killGraceMs: 200 });
    expect(outcome.exitCode).toBe(0);
    expect(processIsRunning(jobPid(outcome.output))).toBe(false);
  });
});
