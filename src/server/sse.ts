import type { Context } from 'hono';
import type { PublishedEvent } from '../agent/session-channel.js';

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');
const HEARTBEAT_MS = 15_000;

export interface SseSink {
  send(published: PublishedEvent): void;
  close(): void;
}

export interface SseOptions {
  /** Frames queued for a client that does not read; past it the stream ends (the client reconnects and catches up). */
  maxQueuedFrames?: number;
  onOverflow?: () => void;
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
  const maxQueued = options.maxQueuedFrames ?? 10_000;
  let cleanup: (() => void) | null = null;
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  // Frames waiting for the end of this turn, and how many frames each queued chunk holds (the
  // queue is measured in frames, as if each had been queued alone).
  let pending: Uint8Array[] = [];
  const framesIn = new WeakMap<Uint8Array, number>();
  const flushPending = () => {
    if (pending.length === 0 || !controllerRef) return;
    const frames = pending;
    pending = [];
    const chunk = frames.length === 1 ? frames[0] : Buffer.concat(frames);
    framesIn.set(chunk, frames.length);
    try {
      controllerRef.enqueue(chunk);
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
            if ((controller.desiredSize ?? 0) - pending.length < -maxQueued) {
              options.onOverflow?.();
              sink.close();
              return;
            }
            if (pending.length === 0) queueMicrotask(flushPending);
            pending.push(sseFrame(published));
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
        if (closed) cleanup();
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: 64, size: (chunk) => framesIn.get(chunk) ?? 1 },
  );
  return c.body(stream, 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
}
