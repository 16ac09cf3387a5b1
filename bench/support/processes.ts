import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './stats.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const GOOSED_BUNDLE = join(REPO, 'dist', 'cli.js');

/** Every child the benchmark started and has not seen exit: killed if the run is cut short. */
const liveChildren = new Set<ChildProcess>();

export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

export function killLiveChildren(except?: number): void {
  for (const child of liveChildren) if (child.pid !== except) child.kill('SIGKILL');
}

/** A server running in a child process: its URL, its memory as the kernel sees it, and a stop. */
export interface ChildServer {
  child: ChildProcess;
  pid: number;
  url: string;
  /** performance.now() when spawn() was called, and when the URL line arrived. */
  spawnedAt: number;
  announcedAt: number;
  /** Resident set now, in KiB (Linux /proc). */
  rssKiB(): number;
  /** The highest resident set since start (VmHWM), in KiB. */
  peakRssKiB(): number;
  /** CPU time used so far, user + system, in ms (Linux /proc; 10 ms resolution). */
  cpuMs(): number;
  stderr(): string;
  /** The first lines the server logged at error level or above (pino's JSON lines), for a failure's cause. */
  errorLog(): string[];
  stop(): Promise<void>;
}

const MAX_ERROR_LINES = 20;

export interface SpawnOptions {
  /** Extra arguments for node itself, e.g. --cpu-prof. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** The line that announces the URL; the first capture group is the URL. */
  announce: RegExp;
  timeoutMs?: number;
}

/**
 * Spawns `node <args>` and waits for it to print its URL. Stdout stays piped and is drained
 * (read and dropped), as a log collector would, so logging costs what it costs in production.
 */
export function spawnServer(args: string[], options: SpawnOptions): Promise<ChildServer> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let head = '';
  let errors = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    if (errors.length < 20_000) errors += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<ChildServer>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no URL within ${options.timeoutMs ?? 20_000} ms`)), options.timeoutMs ?? 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: ${error.message}\n${errors}`));
    };
    const onEarlyExit = (code: number | null) => fail(new Error(`exited with ${code} before announcing its URL`));
    child.once('exit', onEarlyExit);
    const onData = (chunk: Buffer) => {
      head += chunk.toString('utf8');
      const match = options.announce.exec(head);
      if (!match) return;
      const announcedAt = performance.now();
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      child.stdout!.off('data', onData);
      // From here on the output is drained, but for the first error lines (pino: level 50 and up).
      const errorLines: string[] = [];
      let partial = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        if (errorLines.length >= MAX_ERROR_LINES) return;
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop()!.slice(-10_000);
        for (const line of lines) if (/"level":(5|6)\d/.test(line) && errorLines.length < MAX_ERROR_LINES) errorLines.push(line.slice(0, 2000));
      });
      const pid = child.pid!;
      resolve({
        child,
        pid,
        url: match[1],
        spawnedAt,
        announcedAt,
        rssKiB: () => procStatusKiB(pid, 'VmRSS'),
        peakRssKiB: () => procStatusKiB(pid, 'VmHWM'),
        cpuMs: () => cpuMsOf(pid),
        stderr: () => errors,
        errorLog: () => [...errorLines],
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const stopped = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
          if (!stopped) {
            child.kill('SIGKILL');
            await exited;
          }
        },
      });
    };
    child.stdout!.on('data', onData);
  });
}

export interface GoosedOptions {
  dataDir: string;
  nodeArgs?: string[];
  /** Default: none, so the log level is goosed's default (info). */
  extraArgs?: string[];
}

/** The bundled server, as users run it: `node dist/cli.js --port 0 --data-dir … --config …`. */
export function startGoosed(options: GoosedOptions): Promise<ChildServer> {
  if (!existsSync(GOOSED_BUNDLE)) throw new Error(`${GOOSED_BUNDLE} is missing: run npm run build`);
  const args = [GOOSED_BUNDLE, '--port', '0', '--data-dir', options.dataDir, '--config', join(options.dataDir, 'c.yaml'), ...(options.extraArgs ?? [])];
  // No provider keys from the machine reach the server under test.
  const env = { GOOSED_LOG_LEVEL: undefined, OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined, GOOSE_PROVIDER: undefined, GOOSE_MODEL: undefined };
  return spawnServer(args, { nodeArgs: options.nodeArgs, env, announce: /goosed listening on (http:\/\/\S+)/ });
}

function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/** CPU time a process has used so far, user + system, in ms (Linux /proc; 10 ms resolution). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** RSS once it has stopped moving: the lowest of a few samples over `ms` (allocation spikes pass). */
export async function settledRssKiB(server: ChildServer, ms = 1000, samples = 5): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < samples; i++) {
    await sleep(ms / samples);
    lowest = Math.min(lowest, server.rssKiB());
  }
  return lowest;
}
