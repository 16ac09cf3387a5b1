import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The time of the newest file under `directory`: a build older than it is stale. */
export function newestChange(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
