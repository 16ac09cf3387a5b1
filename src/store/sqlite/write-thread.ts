import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorFromPortable, type PortableError, type StoreWrites, type WriteCall, type WriteName, type WriteOutcome } from './store-writes.js';

/** What the main thread posts to the write thread. */
export type ToWriter = { type: 'writes'; calls: WriteCall[] } | { type: 'close' };
/** What the write thread answers: a batch's outcomes in call order, or the batch's failure (nothing of it was written). */
export type FromWriter = { type: 'done'; outcomes: WriteOutcome[] } | { type: 'failed'; error: PortableError } | { type: 'closed' };

interface Batch {
  calls: WriteCall[];
  settles: { resolve(value: unknown): void; reject(error: unknown): void }[];
  /** Settles (never rejects) once every write of the batch has. */
  done: Promise<void>;
  markDone(): void;
}

const snapshot = (value: unknown) => (typeof value === 'object' && value !== null ? structuredClone(value) : value);

function newBatch(): Batch {
  let markDone!: () => void;
  const done = new Promise<void>((resolve) => (markDone = resolve));
  return { calls: [], settles: [], done, markDone };
}

/**
 * The worker's script: a build puts it beside the bundle, named after it (dist/server.cjs:
 * dist/server.sqlite-writer.cjs). From the TypeScript sources (tsx) there is none: an entry that
 * registers tsx and then loads sqlite-write-worker.ts runs instead, slower to start.
 */
function defaultWorkerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  const built = `${here.slice(0, here.length - extname(here).length)}.sqlite-writer.cjs`;
  return existsSync(built) ? pathToFileURL(built) : new URL('./sqlite-write-worker-from-sources.mjs', import.meta.url);
}

export interface WriteThreadOptions {
  /** The worker's script, when not the default (tests give one built once for the whole run). */
  script?: URL;
}

/**
 * SQLite writes on a thread of their own. Each write is posted with the others made while the
 * batch before it was committing (or made in the same tick, when none was), and settles with its
 * own outcome once the worker has committed its batch; batches run one at a time, in call order, so
 * writes take effect in the order they were called. A commit (its WAL frames, a checkpoint now and
 * then) costs the calling thread nothing: with hundreds of replies streaming, that was a fifth of
 * the main thread's busy time.
 */
export class SqliteWriteThread {
  private readonly worker: Worker;
  /** Writes called while `sent` commits, posted when it has. */
  private next: Batch | null = null;
  private sent: Batch | null = null;
  private stopped: Error | null = null;
  private closed: Promise<void> | null = null;
  private onClosed: (() => void) | null = null;

  constructor(filename: string, { script = defaultWorkerScript() }: WriteThreadOptions = {}) {
    this.worker = new Worker(script, { workerData: { filename } });
    // The thread keeps the process alive only while writes are outstanding (see post and answered).
    this.worker.unref();
    this.worker.on('message', (message: FromWriter) => this.answered(message));
    this.worker.on('error', (error) => this.stop(new Error(`the SQLite write thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => {
      this.stop(new Error(`the SQLite write thread exited (code ${code})`));
      this.onClosed?.();
    });
  }

  /**
   * Runs the store's write `name` on the write thread; settles when it has committed (or failed).
   * The arguments are taken as they are now: a caller may change an object it passed (a reply's
   * message is changed in place as it streams) before the batch is posted.
   */
  write<K extends WriteName>(name: K, ...args: Parameters<StoreWrites[K]>): ReturnType<StoreWrites[K]> {
    let taken: unknown[];
    try {
      taken = args.map(snapshot);
    } catch (error) {
      // A value structured clone cannot copy (a function, say): this write fails alone.
      return Promise.reject(error) as ReturnType<StoreWrites[K]>;
    }
    return this.call(name, taken) as ReturnType<StoreWrites[K]>;
  }

  /** Settles once every write called so far has; null when none is outstanding. Never rejects. */
  outstanding(): Promise<void> | null {
    return (this.next ?? this.sent)?.done ?? null;
  }

  /** Lets the outstanding writes finish, then closes the thread's connection and ends it. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (let writes = this.outstanding(); writes !== null; writes = this.outstanding()) await writes;
      if (this.stopped !== null) return;
      this.stopped = new Error('the store is closed');
      await new Promise<void>((resolve) => {
        this.onClosed = resolve;
        this.worker.ref();
        this.worker.postMessage({ type: 'close' } satisfies ToWriter);
      });
    })();
    return this.closed;
  }

  private call(name: WriteName, args: readonly unknown[]): Promise<unknown> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    let batch = this.next;
    if (batch === null) {
      batch = this.next = newBatch();
      // Posted at the next tick, with every write of this run of code; or when the one committing answers.
      if (this.sent === null) process.nextTick(this.post);
    }
    const calls = batch.calls;
    const settles = batch.settles;
    return new Promise((resolve, reject) => {
      calls.push([name, args]);
      settles.push({ resolve, reject });
    });
  }

  private readonly post = () => {
    if (this.sent !== null || this.next === null || this.stopped !== null) return;
    this.sent = this.next;
    this.next = null;
    this.worker.ref();
    this.worker.postMessage({ type: 'writes', calls: this.sent.calls } satisfies ToWriter);
  };

  private answered(message: FromWriter): void {
    if (message.type === 'closed') {
      void this.worker.terminate();
      return;
    }
    const batch = this.sent;
    if (batch === null) return;
    this.sent = null;
    if (message.type === 'failed') {
      const error = errorFromPortable(message.error);
      for (const { reject } of batch.settles) reject(error);
    } else {
      message.outcomes.forEach((outcome, index) => {
        const { resolve, reject } = batch.settles[index];
        if (outcome.ok) resolve(outcome.value);
        else reject(errorFromPortable(outcome.error));
      });
    }
    batch.markDone();
    if (this.next !== null) process.nextTick(this.post);
    else this.worker.unref();
  }

  /** The thread is gone: what was posted or waiting fails with `error`, and so does every later write. */
  private stop(error: Error): void {
    if (this.stopped === null) this.stopped = error;
    for (const batch of [this.sent, this.next]) {
      if (batch === null) continue;
      for (const { reject } of batch.settles) reject(error);
      batch.markDone();
    }
    this.sent = this.next = null;
  }
}
