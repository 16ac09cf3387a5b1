import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO, trackChild } from './processes.js';

const AUTOCANNON = join(REPO, 'node_modules', 'autocannon', 'autocannon.js');

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  throughputBytesPerSecond: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /** Discarded run first, so the JIT and the sockets are warm when sampling starts. */
  warmupSeconds?: number;
  /** Called between the warm-up and the measured run. */
  beforeMeasuring?: () => void;
}

/**
 * autocannon in its own process (its CLI, `--json`): the load generator never shares an event
 * loop with the server it measures or with the benchmark's own bookkeeping.
 */
export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds) await autocannon(url, options.connections, options.warmupSeconds);
  options.beforeMeasuring?.();
  return autocannon(url, options.connections, options.durationSeconds);
}

async function autocannon(url: string, connections: number, durationSeconds: number): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '--no-progress', '-c', String(connections), '-d', String(durationSeconds), '-t', '10', url];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), (durationSeconds + 30) * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  if (code !== 0) throw new Error(`autocannon exited with ${code}: ${err}`);
  const result = JSON.parse(out.slice(out.indexOf('{'))) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    throughput: { average: number };
    errors: number;
    non2xx: number;
    timeouts: number;
  };
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    throughputBytesPerSecond: result.throughput.average,
  };
}
