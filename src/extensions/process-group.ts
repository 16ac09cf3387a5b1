// Processes started for tools (shell commands) and extensions (stdio MCP servers) are spawned with
// `detached: true`, which makes each one the leader of its own process group. Stopping one then
// means signalling the whole group, so whatever it forked dies with it.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const POLL_INTERVAL_MS = 25;

/** Groups that are running right now; killed if goosed exits while they still run. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a group so that it does not outlive goosed (a normal exit, or `process.exit` from a
 * signal handler). Returns the function that forgets it again.
 */
export function trackProcessGroup(pid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of liveGroups) signalProcessGroup(group, 'SIGKILL');
    });
  }
  liveGroups.add(pid);
  return () => {
    liveGroups.delete(pid);
  };
}

/** Sends `signal` to every process in the group led by `pid`; a group that is already gone is fine. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing is left in the group.
  }
}

/**
 * True while some process of the group still runs. On Linux, zombies do not count: in a container
 * whose PID 1 does not reap orphans they linger forever although they are dead.
 */
export function processGroupIsAlive(pid: number): boolean {
  if (!groupHasMembers(pid)) return false;
  if (process.platform !== 'linux') return true;
  return linuxGroupHasLiveMember(pid);
}

/**
 * Of `groupIds`, the groups some process still runs in (zombies do not count, as above). On Linux
 * one pass over /proc answers for all of them, however many.
 */
export function liveProcessGroups(groupIds: Iterable<number>): Set<number> {
  const candidates = new Set([...groupIds].filter(groupHasMembers));
  if (process.platform !== 'linux' || candidates.size === 0) return candidates;
  const alive = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = readProcStat(entry);
    if (status && status.state !== 'Z' && candidates.has(status.groupId)) alive.add(status.groupId);
  }
  return alive;
}

/** Some process, zombies included, is in the group (or one we may not signal: it exists). */
function groupHasMembers(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function linuxGroupHasLiveMember(groupId: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = readProcStat(entry);
    if (status && status.groupId === groupId && status.state !== 'Z') return true;
  }
  return false;
}

/** Reads state and process group from `/proc/<pid>/stat`; null when the process vanished meanwhile. */
export function readProcStat(pid: number | string): { state: string; groupId: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], groupId: Number(fields[2]) };
}

/** After SIGKILL, how long to wait for the kernel to finish the group off before answering anyway. */
const AFTER_KILL_WAIT_MS = 2000;

/**
 * SIGTERM to the whole group, then SIGKILL to whatever is still alive after `graceMs`: a command
 * that traps SIGTERM, or a child that outlived its parent, still dies. Resolves once the group is
 * gone (a process in uninterruptible sleep may outlast SIGKILL for a while: then after a bound).
 */
export async function terminateProcessGroup(pid: number, graceMs: number): Promise<void> {
  signalProcessGroup(pid, 'SIGTERM');
  if (await groupEndsWithin(pid, graceMs)) return;
  signalProcessGroup(pid, 'SIGKILL');
  await groupEndsWithin(pid, AFTER_KILL_WAIT_MS);
}

async function groupEndsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processGroupIsAlive(pid)) return true;
    await delay(POLL_INTERVAL_MS);
  }
  return !processGroupIsAlive(pid);
}
