import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// <data-dir>/server.json: where the goosed serving this data directory listens, for other local
// tools (as Jupyter's runtime files are). Only the goosed holding the directory's lock writes it, so a
// file that is there while nobody holds the lock is left over from a crash.

export const RuntimeInfo = z.object({
  pid: z.number().int(),
  url: z.string(),
  host: z.string(),
  port: z.number().int(),
  version: z.string(),
  started_at: z.string(),
  /** The key in force, so that a local tool of the same user can call the server; null without one. */
  secret_key: z.string().nullable(),
});
export type RuntimeInfo = z.infer<typeof RuntimeInfo>;

export function runtimeFilePath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

/** Owner-only (it may hold the key), and renamed into place: a reader never sees half a file. */
export function writeRuntimeFile(dataDir: string, info: RuntimeInfo): void {
  const file = runtimeFilePath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

/** The file's contents, or null when it is missing or not one goosed wrote. */
export function readRuntimeFile(dataDir: string): RuntimeInfo | null {
  try {
    return RuntimeInfo.parse(JSON.parse(readFileSync(runtimeFilePath(dataDir), 'utf8')));
  } catch {
    return null;
  }
}

export function removeRuntimeFile(dataDir: string): void {
  rmSync(runtimeFilePath(dataDir), { force: true });
}

/** Whether the process a runtime file names still runs (a file left by a crash names a dead one). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // It exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A crashed goosed nobody reaped (PID 1 of a container may never) is a zombie: dead all the same.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true; // no /proc here
  }
}
