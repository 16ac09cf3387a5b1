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
 */
export function sseResponse(c: Context, open: (sink: SseSink) => () => void, options: SseOptions = {}): Response {
  const maxQueued = options.maxQueuedFrames ?? 10_000;
  let cleanup: (() => void) | null = null;
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  const finish = () => {
    if (closed) return;
    closed = true;
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
            if ((controller.desiredSize ?? 0) < -maxQueued) {
              options.onOverflow?.();
              sink.close();
              return;
            }
            controller.enqueue(sseFrame(published));
          },
          close() {
            if (closed) return;
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
    new CountQueuingStrategy({ highWaterMark: 64 }),
  );
  return c.body(stream, 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
}
