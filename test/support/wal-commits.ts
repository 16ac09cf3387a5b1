import { readFileSync } from 'node:fs';

/**
 * Transactions in a SQLite write-ahead log (`<database>-wal`): each ends with a frame that records
 * the database's size after it (the WAL format: a 32-byte header, then frames of a 24-byte header
 * and a page). Frames of an older generation of the log (other salts) are not counted.
 */
export function commitFrames(walFile: string): number {
  const wal = readFileSync(walFile);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt[0] || wal.readUInt32BE(at + 12) !== salt[1]) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}
