// Keeps the beginning and the end of a tool's output within a fixed number of bytes, so that a
// command that floods output (`yes`, a verbose build) or an MCP tool that returns a whole database
// cannot grow memory, the store and every follower's stream. The head usually says what ran, the
// tail how it ended; the middle is counted and dropped.
import { z } from 'zod';

/** `max_output_bytes` of an extension's config: the most a tool call gives back to the model. */
export const MaxOutputBytes = z.number().int().min(1024).default(100 * 1024);

/** `text` within `maxBytes` of UTF-8: as it is when it fits, else its head and tail with a note. */
export function capText(text: string, maxBytes: number): string {
  // No character takes more than 3 bytes per UTF-16 unit: short text needs no measuring.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  const output = new CappedOutput(maxBytes);
  output.append(Buffer.from(text));
  return output.toString();
}

export class CappedOutput {
  readonly #headLimit: number;
  readonly #tailLimit: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer[] = [];
  #tailBytes = 0;
  #droppedBytes = 0;

  constructor(maxBytes: number) {
    this.#headLimit = Math.floor(maxBytes / 2);
    this.#tailLimit = maxBytes - this.#headLimit;
  }

  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  append(chunk: Buffer): void {
    const headRoom = this.#headLimit - this.#headBytes;
    if (headRoom > 0) {
      // Copied, so that a slice does not pin the whole (up to 64 KB) chunk it came from.
      const kept = Buffer.from(chunk.subarray(0, headRoom));
      this.#head.push(kept);
      this.#headBytes += kept.length;
      chunk = chunk.subarray(kept.length);
    }
    if (chunk.length === 0) return;
    this.#tail.push(chunk);
    this.#tailBytes += chunk.length;
    this.#trimTail();
  }

  #trimTail(): void {
    while (this.#tailBytes > this.#tailLimit) {
      const oldest = this.#tail[0];
      const excess = this.#tailBytes - this.#tailLimit;
      if (oldest.length <= excess) {
        this.#tail.shift();
        this.#tailBytes -= oldest.length;
        this.#droppedBytes += oldest.length;
      } else {
        this.#tail[0] = Buffer.from(oldest.subarray(excess));
        this.#tailBytes -= excess;
        this.#droppedBytes += excess;
      }
    }
  }

  toString(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    const tail = Buffer.concat(this.#tail).toString('utf8');
    if (this.#droppedBytes === 0) return head + tail;
    const note = `\n\n[... ${this.#droppedBytes} bytes of output omitted: only the first and last ${this.#headLimit} bytes are kept ...]\n\n`;
    return head + note + tail;
  }
}
