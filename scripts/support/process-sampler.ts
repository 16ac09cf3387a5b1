// Samples a process's resident memory and open file descriptors from /proc over time, and judges
// whether both stayed flat once warmed up.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessSample {
  /** Seconds since sampling began. */
  atSeconds: number;
  rssMiB: number;
  fds: number;
  /** Whatever the caller counts alongside (replies completed so far). */
  done: number;
}

export function sampleProcess(pid: number): { rssMiB: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return { rssMiB: Math.round((rssKiB / 1024) * 10) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** Open descriptors by kind (socket, pipe, anon_inode:[eventpoll], or `file`), to tell what grew. */
export function describeFds(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const kind = target.startsWith('/') ? 'file' : target.replace(/:\[?\d+\]?$/, '');
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

export interface RssVerdict {
  /** Medians of the first and last fifth of the samples after warm-up. */
  start: number;
  end: number;
  growthMiB: number;
  slopeMiBPerMinute: number;
  flat: boolean;
}

/**
 * Flat means: resident memory at the end of the run is within max(10 %, 24 MiB) of where it was
 * right after warm-up. Garbage collection makes single samples swing by tens of MiB, so medians of
 * the first and last fifth of the samples are compared; the slope is reported beside them.
 */
export function judgeRss(samples: ProcessSample[], warmUpSeconds: number): RssVerdict {
  const steady = samples.filter((sample) => sample.atSeconds >= warmUpSeconds);
  const fifth = Math.max(1, Math.floor(steady.length / 5));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const start = median(steady.slice(0, fifth).map((s) => s.rssMiB));
  const end = median(steady.slice(-fifth).map((s) => s.rssMiB));
  const growthMiB = Math.round((end - start) * 10) / 10;
  return { start, end, growthMiB, slopeMiBPerMinute: slope(steady), flat: growthMiB <= Math.max(start * 0.1, 24) };
}

/** Least-squares slope of RSS against time, in MiB per minute. */
function slope(samples: ProcessSample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanX = samples.reduce((sum, s) => sum + s.atSeconds, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.rssMiB, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const s of samples) {
    numerator += (s.atSeconds - meanX) * (s.rssMiB - meanY);
    denominator += (s.atSeconds - meanX) ** 2;
  }
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 60 * 10) / 10;
}
