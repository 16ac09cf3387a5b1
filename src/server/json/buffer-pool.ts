/**
 * Large buffers kept for reuse between responses.
 *
 * Writing into memory the process has just mapped costs more than the writing itself: the first
 * touch of every page faults, and in a virtual machine that fault is slow (12 MB took 55 ms on the
 * benchmark machine, 1 ms once touched). A long history answered from a reused buffer does not pay
 * it on every request. Only large buffers are kept, a few at most, and all are let go when no large
 * response has been written for a while, so an idle server does not hold on to them.
 */
export class BufferPool {
  private readonly free: Buffer<ArrayBuffer>[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    /** Smaller buffers are not worth keeping: they come from memory malloc already holds. */
    readonly minBytes = 256 * 1024,
    private readonly maxBuffers = 2,
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly idleMs = 60_000,
  ) {}

  /** A buffer of at least `bytes`: the smallest kept one that is large enough, else a new one. */
  take(bytes: number): Buffer<ArrayBuffer> {
    let best = -1;
    for (let index = 0; index < this.free.length; index++) {
      const length = this.free[index].length;
      if (length >= bytes && (best < 0 || length < this.free[best].length)) best = index;
    }
    if (best >= 0) return this.free.splice(best, 1)[0];
    // Its own memory, not a slice of Node's shared pool: it is handed back whole.
    return Buffer.allocUnsafeSlow(bytes);
  }

  /** Hands a buffer back once nothing reads it any more (the response holding it has been sent). */
  give(buffer: Buffer<ArrayBuffer>): void {
    if (buffer.length < this.minBytes || buffer.length > this.maxBytes) return;
    if (this.free.length >= this.maxBuffers) {
      // Keep the larger ones: they serve every smaller request too.
      const smallest = this.free.reduce((min, b, index) => (b.length < this.free[min].length ? index : min), 0);
      if (this.free[smallest].length >= buffer.length) return;
      this.free.splice(smallest, 1);
    }
    this.free.push(buffer);
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.free.splice(0), this.idleMs).unref();
  }

  /** How many buffers are kept (for tests). */
  get size(): number {
    return this.free.length;
  }
}
