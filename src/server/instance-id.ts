import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The id this data directory's goosed goes by among instances on one database: the owner of its
 * reply leases. Kept in the directory, so that a restarted instance takes back its own leases at
 * once rather than waiting for them to expire (one goosed per directory: data-directory-lock.ts).
 */
export function instanceId(dataDir: string): string {
  const file = join(dataDir, 'instance-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // None yet: made below.
  }
  const id = randomUUID();
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}
