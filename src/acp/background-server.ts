import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from '../config/config-file.js';

// A goosed started by `goosed acp` for a data directory no goosed serves: the same program, in the
// background, on loopback with a generated key, stopping by itself once idle. It is detached (its
// own process group, stdio not ours), so that it outlives the editor window that started it and
// serves the others, and never writes a byte to the ACP stdout.

export interface BackgroundServerOptions {
  dataDir: string;
  configFile: string | null;
  logLevel: LogLevel;
  /** Seconds; 0 never. */
  idleExitSeconds: number;
}

export interface StartedServer {
  pid: number;
  /** Settles with the exit code when the process ends (a loser of a simultaneous start exits 1). */
  exited: Promise<number | null>;
  logFile: string;
}

/** The log is started afresh, the previous one kept, once it passes this size. */
const MAX_LOG_BYTES = 10 * 1024 * 1024;

export function serverLogFile(dataDir: string): string {
  return join(dataDir, 'server.log');
}

export function startBackgroundServer(options: BackgroundServerOptions): StartedServer {
  const logFile = serverLogFile(options.dataDir);
  rotateLog(logFile);
  appendFileSync(logFile, `${new Date().toISOString()} goosed acp (pid ${process.pid}) starts a goosed for ${options.dataDir}\n`, { mode: 0o600 });
  const log = openSync(logFile, 'a', 0o600);
  const args = [
    ...programArguments(),
    '--host', '127.0.0.1',
    '--port', '0',
    '--data-dir', options.dataDir,
    '--log-level', options.logLevel,
    '--idle-exit', String(options.idleExitSeconds),
    ...(options.configFile ? ['--config', options.configFile] : []),
  ];
  try {
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', log, log],
      // Through the environment, not argv: other users can read a process's arguments.
      env: { ...process.env, GOOSED_SECRET_KEY: randomBytes(32).toString('base64url') },
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(null));
    });
    child.unref();
    return { pid: child.pid ?? -1, exited, logFile };
  } finally {
    closeSync(log);
  }
}

/**
 * How this process was started, minus the `acp` command: `dist/cli.js` when installed, a test's
 * bundle, or `src/cli.ts` under tsx (whose loader flags are in execArgv). A debugger flag would
 * make the child fight for the same port.
 */
function programArguments(): string[] {
  return [...process.execArgv.filter((flag) => !flag.startsWith('--inspect')), process.argv[1]];
}

function rotateLog(logFile: string): void {
  try {
    if (statSync(logFile).size > MAX_LOG_BYTES) renameSync(logFile, `${logFile}.1`);
  } catch {
    // No log yet.
  }
}

/** The last line goosed wrote before it failed to start (it writes one sentence to stderr). */
export function lastLogLine(logFile: string): string | null {
  try {
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    return lines.findLast((line) => line.startsWith('goosed: ')) ?? null;
  } catch {
    return null;
  }
}
