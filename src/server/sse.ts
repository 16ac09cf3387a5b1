import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { PublishedEvent } from '../agent/session-channel.js';
import { DEFAULT_FOLLOWER_QUEUE_BYTES, FollowerQueueBound } from './follower-queue-bound.js';

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');
const HEARTBEAT_MS = 15_000;

export interface SseSink {
  send(published: PublishedEvent): void;
  close(): void;
}

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

export function sseFrame(published: PublishedEvent): Uint8Array {
  return (published.sseFrame ??= encoder.encode(`id: ${published.event.seq}\nevent: ${published.event.type}\ndata: ${published.json}\n\n`));
}

/**
 * A Server-Sent Events response. `open` runs synchronously when the stream starts and returns its
 * clean-up, which runs once when the client goes away or the stream is closed.
 *
 * Frames sent together (in one synchronous run: a tool result and the text after it, or a replay)
 * go out as one chunk, since a stream read plus a socket write per frame cost more than the frame.
 * They are flushed in a microtask, before the event loop moves on: waiting for the next turn would
 * let the I/O of every other reply go first. (Text is already batched per turn by the ReplyWriter.)
 */
export function sseResponse(c: Context, open: (sink: SseSink) => () => void, options: SseOptions = {}): Response {
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
  // While `open` runs, what is sent is the replay of what the client missed.
  let replayedBytes: number | null = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        openStreams.add(controller);
        startHeartbeats();
        controller.enqueue(encoder.encode('retry: 2000\n\n'));
        const sink: SseSink = {
          send(published) {
            if (closed) return;
            const frame = sseFrame(published);
            if (replayedBytes !== null) {
              replayedBytes += frame.byteLength;
            } else {
              // Counted in bytes (with a high-water mark of 0, desiredSize is minus the bytes queued).
              const queued = -(controller.desiredSize ?? 0) + pendingBytes + (outgoing?.writableLength ?? 0);
              if (!bound.admits(queued, frame.byteLength)) {
                cutOff(controller);
                return;
              }
            }
            if (pending.length === 0) queueMicrotask(flushPending);
            pending.push(frame);
            pendingBytes += frame.byteLength;
          },
          close() {
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
        cleanup = open(sink);
        bound.admitReplay(replayedBytes ?? 0);
        replayedBytes = null;
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
