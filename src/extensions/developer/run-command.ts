// Runs one shell command as the leader of its own process group, so that a timeout or a cancel can
// stop everything the command started, not only the shell. Jobs it leaves running in the background
// keep running after the call, in the group, which `backgroundJobs` then holds.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { BackgroundJobs } from './background-jobs.js';
import { CappedOutput } from '../capped-output.js';
import { childEnvironment } from '../child-environment.js';
import { processGroupIsAlive, terminateProcessGroup, trackProcessGroup } from '../process-group.js';

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  maxOutputBytes: number;
  /** Between SIGTERM and SIGKILL when the command has to be stopped. */
  killGraceMs: number;
  /**
   * Takes over the group when the shell exits with background jobs still running. Without it such
   * jobs are stopped when the shell exits: nothing would stop them later.
   */
  backgroundJobs?: BackgroundJobs;
  /** The command's environment; by default goosed's own, with its variables and credentials withheld. */
  env?: Record<string, string>;
}

export interface CommandOutcome {
  /** stdout and stderr in arrival order, capped. */
  output: string;
  exitCode: number | null;
  /** The signal that ended the command, when it did not exit by itself. */
  exitSignal: NodeJS.Signals | null;
  stoppedBecause: 'timeout' | 'cancelled' | null;
  /** Set when the shell could not be started at all. */
  spawnError?: string;
}

/** After the shell exits, how long background jobs that inherited its stdout may keep us reading. */
const DRAIN_AFTER_EXIT_MS = 200;
/**
 * With nothing left in the group, nobody holds the pipes: they close as soon as their last output
 * is read, which on a loaded machine can come well after the exit was seen. Bounded all the same,
 * for a process that left the group (setsid) with the pipes.
 */
const CLOSE_AFTER_EXIT_MS = 5000;
/** setTimeout fires at once for delays beyond 2^31-1 ms, so longer timeouts are clamped. */
const MAX_TIMER_MS = 2 ** 31 - 1;

let shellPath: Promise<string> | undefined;

/** bash when it is on PATH (the model writes bash), else the POSIX sh every system has. */
function findShell(): Promise<string> {
  shellPath ??= (async () => {
    for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!directory) continue;
      const candidate = path.join(directory, 'bash');
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
    return '/bin/sh';
  })();
  return shellPath;
}

export async function runCommand(command: string, options: RunCommandOptions): Promise<CommandOutcome> {
  // Found before the abort check: a cancel that comes while the shell is looked up must not be missed.
  const shell = await findShell();
  if (options.signal.aborted) {
    return { output: '', exitCode: null, exitSignal: null, stoppedBecause: 'cancelled' };
  }
  const output = new CappedOutput(options.maxOutputBytes);
  const child = spawn(shell, ['-c', command], {
    cwd: options.cwd,
    env: options.env ?? childEnvironment([]),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.append(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.append(chunk));
  const forgetGroup = child.pid === undefined ? () => {} : trackProcessGroup(child.pid);

  let stoppedBecause: CommandOutcome['stoppedBecause'] = null;
  let stopping: Promise<void> = Promise.resolve();
  const stop = (reason: 'timeout' | 'cancelled') => {
    if (stoppedBecause !== null || child.pid === undefined) return;
    stoppedBecause = reason;
    stopping = terminateProcessGroup(child.pid, options.killGraceMs);
  };
  const timer = setTimeout(() => stop('timeout'), Math.min(options.timeoutMs, MAX_TIMER_MS));
  const onAbort = () => stop('cancelled');
  options.signal.addEventListener('abort', onAbort, { once: true });
  const cleanUp = () => {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  };

  const closed = new Promise((done) => child.once('close', done));
  return new Promise((resolve) => {
    child.once('error', (error) => {
      cleanUp();
      forgetGroup();
      resolve({ output: output.toString(), exitCode: null, exitSignal: null, stoppedBecause, spawnError: error.message });
    });
    child.once('exit', async (exitCode, exitSignal) => {
      clearTimeout(timer);
      const pid = child.pid!;
      // When we are stopping the group, wait until all of it is dead before answering.
      await stopping;
      const jobsAtExit = processGroupIsAlive(pid);
      const drainMs = jobsAtExit ? DRAIN_AFTER_EXIT_MS : CLOSE_AFTER_EXIT_MS;
      await Promise.race([closed, new Promise((done) => setTimeout(done, drainMs))]);
      // A job the command left running in the background keeps the pipes open; stop reading them.
      child.stdout.destroy();
      child.stderr.destroy();
      cleanUp();
      // A cancel or timeout during the drain stops the jobs too, and is waited for.
      await stopping;
      // An empty group never fills again: only a group found alive at the exit is looked at twice.
      if (stoppedBecause === null && jobsAtExit && processGroupIsAlive(pid)) {
        if (options.backgroundJobs) options.backgroundJobs.adopt(pid, forgetGroup);
        else await terminateProcessGroup(pid, options.killGraceMs).finally(forgetGroup);
      } else {
        forgetGroup();
      }
      resolve({ output: output.toString(), exitCode, exitSignal, stoppedBecause });
    });
  });
}
