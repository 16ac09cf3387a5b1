/** Bytes a follower (SSE or WebSocket) may leave unread in the server before it is cut off. */
export const DEFAULT_FOLLOWER_QUEUE_BYTES = 4 * 1024 * 1024;

/**
 * The one rule for every follower's queue: the bytes waiting for it in this process (the frames not
 * yet taken by the kernel) may pass `maxBytes` only by the largest frame queued since they were last
 * within it, so that one large event (a long message_complete) does not make a reader that keeps up
 * look slow. A follower over it is cut off; it rejoins from the last seq it saw.
 */
export class FollowerQueueBound {
  private largestFrame = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether a frame of `frameBytes` may be queued on top of `queuedBytes` (false: cut the follower off). */
  admits(queuedBytes: number, frameBytes: number): boolean {
    if (queuedBytes <= this.maxBytes) this.largestFrame = 0;
    else if (queuedBytes > this.maxBytes + this.largestFrame) return false;
    if (frameBytes > this.largestFrame) this.largestFrame = frameBytes;
    return true;
  }

  /**
   * A replay (what a rejoining follower missed) goes out whole, unchecked: cut off midway, the
   * follower would come back for the same replay. It then counts as one large frame.
   */
  admitReplay(bytes: number): void {
    if (bytes > this.largestFrame) this.largestFrame = bytes;
  }
}
