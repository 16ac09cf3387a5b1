import type { BufferPool } from './buffer-pool.js';

/**
 * Collects a large JSON response as UTF-8 bytes, piece by piece, outside the JavaScript heap.
 *
 * Building a response of megabytes as one string by concatenation leaves a rope of many pieces
 * that must be flattened, then encoded again when it is written to the socket; and the garbage
 * collector copies the pieces while they are alive. Written here, each piece is encoded once and
 * can die young, and the bytes go to the socket as they are. With a pool, large buffers come from
 * (and go back to, through `release`) memory already touched: see BufferPool.
 */
export class JsonWriter {
  private buffer: Buffer<ArrayBuffer>;
  private length = 0;

  constructor(private readonly pool?: BufferPool) {
    this.buffer = Buffer.allocUnsafe(16 * 1024);
  }

  /** Appends text that is already JSON (or a fragment of it). */
  write(json: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.buffer.length - this.length < json.length * 3) this.grow(json.length * 3);
    this.length += this.buffer.write(json, this.length, 'utf8');
  }

  /** Makes room for about `bytes` more at once, so that a large response is not copied as it grows. */
  reserve(bytes: number): void {
    if (this.buffer.length - this.length < bytes) this.grow(bytes);
  }

  /** How many bytes have been written. */
  get size(): number {
    return this.length;
  }

  /** The bytes written so far (a view, not a copy: write nothing more while it is in use). */
  bytes(): Buffer<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }

  /** Gives the buffer back to the pool: call it only once nothing reads `bytes()` any more. */
  release(): void {
    this.pool?.give(this.buffer);
    this.buffer = Buffer.alloc(0);
    this.length = 0;
  }

  private grow(needed: number): void {
    const size = Math.max(this.buffer.length * 2, this.length + needed);
    const larger = this.pool && size >= this.pool.minBytes ? this.pool.take(size) : Buffer.allocUnsafe(size);
    this.buffer.copy(larger, 0, 0, this.length);
    this.pool?.give(this.buffer);
    this.buffer = larger;
  }
}
