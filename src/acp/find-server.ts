import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, readRuntimeFile, type RuntimeInfo } from '../config/runtime-file.js';
import { lastLogLine, startBackgroundServer, type BackgroundServerOptions, type StartedServer } from './background-server.js';

export interface ServerAddress {
  /** Where to reach it from this machine (a server bound to every address is reached on loopback). */
  url: string;
  key: string | null;
  pid: number;
  version: string;
}

const START_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const STATUS_TIMEOUT_MS = 3_000;
/** Two `goosed acp` may each start one; the loser's exits at once, naming the winner. A few more tries cover a server that stops meanwhile. */
const MAX_STARTS = 3;

/**
 * The goosed serving the data directory, as its runtime file (server.json) names it; when none is
 * running, one is started in the background and waited for. Never opens the database itself: the
 * directory's lock decides which goosed serves it, however many `goosed acp` run at once.
 */
export async function findOrStartServer(options: BackgroundServerOptions): Promise<ServerAddress> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let starts = 0;
  let started: (StartedServer & { exitCode?: number | null }) | null = null;
  for (;;) {
    const info = readRuntimeFile(options.dataDir);
    if (info && isProcessAlive(info.pid)) {
      if (await answers(info)) return addressOf(info);
      // Alive and listed, but not answering: starting, or stopping (it removes the file when done).
    } else if (!started || started.exitCode !== undefined) {
      if (starts >= MAX_STARTS) throw new Error(startFailure(started));
      starts++;
      const current: StartedServer & { exitCode?: number | null } = startBackgroundServer(options);
      void current.exited.then((code) => (current.exitCode = code));
      started = current;
    }
    if (Date.now() > deadline) {
      throw new Error(info ? `the goosed at ${info.url} (pid ${info.pid}) does not answer` : `no goosed started within ${START_TIMEOUT_MS / 1000} s; see ${started?.logFile}`);
    }
    await sleep(POLL_MS);
  }
}

function startFailure(started: StartedServer | null): string {
  const reason = started ? lastLogLine(started.logFile) : null;
  return `could not start a goosed for this data directory${reason ? `: ${reason.replace(/^goosed: /, '')}` : ''} (log: ${started?.logFile})`;
}

function addressOf(info: RuntimeInfo): ServerAddress {
  return { url: reachableUrl(info), key: info.secret_key, pid: info.pid, version: info.version };
}

function reachableUrl(info: RuntimeInfo): string {
  if (info.host === '0.0.0.0') return `http://127.0.0.1:${info.port}`;
  if (info.host === '::') return `http://[::1]:${info.port}`;
  return info.url;
}

async function answers(info: RuntimeInfo): Promise<boolean> {
  try {
    const response = await fetch(`${reachableUrl(info)}/api/status`, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
