import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Follower, PublishedEvent } from '../events/follower.js';
import { DEFAULT_FOLLOWER_QUEUE_BYTES, FollowerQueueBound } from './follower-queue-bound.js';

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');
const HEARTBEAT_MS = 15_000;

export interface SseOptions {
  /** Bytes queued for a client that does not read; past it (see FollowerQueueBound) its connection is cut and it reconnects to catch up. */
  maxQueuedBytes?: number;
}
/** One timer for every open stream: a comment keeps idle connections alive through proxies. */
const openStreams = new Set<ReadableStreamDefaultController<Uint8Array>>();
let heartbeatTimer: NodeJS.Timeout | null = null;
function startHeartbeats(): void {
  heartbeatTimer ??= setInterval(() => {
    for (const controller of openStreams) {
      try {
        controller.enqueue(HEARTBEAT);
      } catch {
        openStreams.delete(controller);
      }
    }
    if (openStreams.size === 0 && heartbeatTimer) {
      clearInterval(heartbeatTimer);
      heartbeatTimer = null;
    }
  }, HEARTBEAT_MS);
  heartbeatTimer.unref();
}

// Every follower of a live event is handed the same object, one after another: its frame is made
// by the first and reused by the rest.
let lastPublished: PublishedEvent | null = null;
let lastFrame = new Uint8Array(0);

export function sseFrame(published: PublishedEvent): Uint8Array {
  if (published !== lastPublished) {
    lastFrame = encoder.encode(`id: ${published.event.seq}\nevent: ${published.event.type}\ndata: ${published.json}\n\n`);
    lastPublished = published;
  }
  return lastFrame;
}

/**
 * A Server-Sent Events response that follows events. `open` runs synchronously when the stream
 * starts, with the follower to hand to the event log, and returns its clean-up, which runs once when
 * the client goes away or the stream ends.
 *
 * Frames sent together (in one synchronous run: a tool result and the text after it, or a replay)
 * go out as one chunk, since a stream read plus a socket write per frame cost more than the frame.
 * They are flushed in a microtask, before the event loop moves on: waiting for the next turn would
 * let the I/O of every other reply go first. (Text is already batched per turn by the ReplyWriter.)
 */
export function sseResponse(c: Context, open: (follower: Follower) => () => void, options: SseOptions = {}): Response {
  const bound = new FollowerQueueBound(options.maxQueuedBytes ?? DEFAULT_FOLLOWER_QUEUE_BYTES);
  // The response on its socket: what it has not handed to the kernel yet is queued too.
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  let cleanup: (() => void) | null = null;
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  // Frames waiting for the end of this turn.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flushPending = () => {
    if (pending.length === 0 || !controllerRef) return;
    const frames = pending;
    pending = [];
    pendingBytes = 0;
    try {
      controllerRef.enqueue(frames.length === 1 ? frames[0] : Buffer.concat(frames));
    } catch {
      // the client went away in the meantime
    }
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    pending = [];
    if (controllerRef) openStreams.delete(controllerRef);
    cleanup?.();
  };
  /**
   * A client that does not read is cut off, not ended politely behind what it did not read: its
   * connection is closed, and the server (seeing it close) cancels the stream, which drops its queue.
   */
  const cutOff = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    finish();
    if (outgoing) outgoing.destroy();
    else controller.error(new Error('slow_consumer: the client did not read its events'));
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        openStreams.add(controller);
        startHeartbeats();
        controller.enqueue(encoder.encode('retry: 2000\n\n'));
        const queue = (frame: Uint8Array) => {
          if (pending.length === 0) queueMicrotask(flushPending);
          pending.push(frame);
          pendingBytes += frame.byteLength;
        };
        const follower: Follower = {
          replay(events) {
            if (closed) return;
            let bytes = 0;
            for (const published of events) {
              const frame = sseFrame(published);
              bytes += frame.byteLength;
              queue(frame);
            }
            bound.admitReplay(bytes);
          },
          deliver(published) {
            if (closed) return;
            const frame = sseFrame(published);
            // Counted in bytes (with a high-water mark of 0, desiredSize is minus the bytes queued).
            const queued = -(controller.desiredSize ?? 0) + pendingBytes + (outgoing?.writableLength ?? 0);
            if (!bound.admits(queued, frame.byteLength)) {
              cutOff(controller);
              return;
            }
            queue(frame);
          },
          end() {
            if (closed) return;
            flushPending();
            finish();
            try {
              controller.close();
            } catch {
              // already closed by the client going away
            }
          },
        };
        cleanup = open(follower);
        if (closed) cleanup();
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return c.body(stream, 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
}
