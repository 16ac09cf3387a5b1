import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from './sqlite-store.js';
import { portableError, storeWrites, type WriteCall, type WriteOutcome } from './store-writes.js';
import type { ToWriter, FromWriter } from './write-thread.js';

// The SQLite write thread's own code (see write-thread.ts): a connection of its own to the store's
// file, which runs the writes the main thread posts, a batch at a time, each batch in one
// transaction, and answers how each went. SQLite's checkpoints happen here too: the connection
// that commits runs them.

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker runs as a worker thread');
const store = new SqliteStore((workerData as { filename: string }).filename);
const writes = storeWrites(store);

async function run(calls: readonly WriteCall[]): Promise<FromWriter> {
  const answers: Promise<unknown>[] = [];
  try {
    // The store's methods run their statements before they return (inside a transaction too), so
    // all of them are part of this one; a statement the database refuses fails alone.
    store.transaction(() => {
      for (const [name, args] of calls) {
        const write = writes[name] as (...args: readonly unknown[]) => Promise<unknown>;
        answers.push(write(...args));
      }
    });
  } catch (error) {
    return { type: 'failed', error: portableError(error) };
  }
  const settled = await Promise.allSettled(answers);
  const outcomes = settled.map((result): WriteOutcome =>
    result.status === 'rejected' ? { ok: false, error: portableError(result.reason) } : result.value === undefined ? { ok: true } : { ok: true, value: result.value },
  );
  return { type: 'done', outcomes };
}

port.on('message', (message: ToWriter) => {
  if (message.type === 'close') {
    void store.close().then(() => port.postMessage({ type: 'closed' } satisfies FromWriter));
    return;
  }
  void run(message.calls).then((answer) => port.postMessage(answer));
});
