import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Follower, PublishedEvent } from '../events/follower.js';
import { DEFAULT_FOLLOWER_QUEUE_BYTES, FollowerQueueBound } from './follower-queue-bound.js';
import { SSE_HEADERS, responseSink, webStreamSink, type SseSink } from './sse-sink.js';

const encoder = new TextEncoder();
const RETRY = encoder.encode('retry: 2000\n\n');
const HEARTBEAT = encoder.encode(': heartbeat\n\n');
const HEARTBEAT_MS = 15_000;

export interface SseOptions {
  /** Bytes queued for a client that does not read; past it (see FollowerQueueBound) its connection is cut and it reconnects to catch up. */
  maxQueuedBytes?: number;
}

/** One timer for every open stream: a comment keeps idle connections alive through proxies. */
const openSinks = new Set<SseSink>();
let heartbeatTimer: NodeJS.Timeout | null = null;
function startHeartbeats(): void {
  heartbeatTimer ??= setInterval(() => {
    for (const sink of openSinks) sink.write(HEARTBEAT);
    if (openSinks.size === 0 && heartbeatTimer) {
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
 * A Server-Sent Events response that follows events. `open` runs synchronously, before anything is
 * written (what it throws is an ordinary error answer), with the follower to hand to the event log,
 * and returns its clean-up, which runs once when the client goes away or the stream ends.
 *
 * On Node the frames are written straight to the response (see responseSink) and the adapter is told
 * it has been sent; a web stream through the framework cost a promise per chunk and a write of its
 * own for the head. Frames sent together (in one synchronous run: a tool result and the text after
 * it, or a replay) go out as one write, flushed in a microtask, before the event loop moves on:
 * waiting for the next turn would let the I/O of every other reply go first. (Text is already
 * batched per turn by the ReplyWriter.)
 */
export function sseResponse(c: Context, open: (follower: Follower) => () => void, options: SseOptions = {}): Response {
  // HEAD (which Hono routes to GET) gets the head alone: there is no body to follow events into.
  if (c.req.method === 'HEAD') return c.body(null, 200, SSE_HEADERS);
  const maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_FOLLOWER_QUEUE_BYTES;
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing) {
    // A client that left while the route was still working (a reply starting) is not followed.
    if (outgoing.destroyed) return RESPONSE_ALREADY_SENT;
    followInto((onClose) => responseSink(outgoing, onClose), open, maxQueuedBytes);
    // RESPONSE_ALREADY_SENT, not a Response of ours: the adapter writes nothing for it. Middleware
    // must not set headers on it after the route (Hono would copy it into a response the adapter
    // writes again); on Node they set them on the outgoing message before (access log, CORS).
    return RESPONSE_ALREADY_SENT;
  }
  let body: ReadableStream<Uint8Array> | null = null;
  followInto((onClose) => {
    const web = webStreamSink(onClose);
    body = web.body;
    return web.sink;
  }, open, maxQueuedBytes);
  return c.body(body, 200, SSE_HEADERS);
}

function followInto(makeSink: (onClose: () => void) => SseSink, open: (follower: Follower) => () => void, maxQueuedBytes: number): void {
  const bound = new FollowerQueueBound(maxQueuedBytes);
  let cleanup: (() => void) | null = null;
  let closed = false;
  // Frames waiting for the end of this turn; the first write carries the reconnect delay.
  let pending: Uint8Array[] = [RETRY];
  let pendingBytes = RETRY.byteLength;
  const finish = () => {
    if (closed) return;
    closed = true;
    pending = [];
    pendingBytes = 0;
    openSinks.delete(sink);
    cleanup?.();
  };
  const sink = makeSink(finish);
  const flushPending = () => {
    if (pending.length === 0 || closed) return;
    const frames = pending;
    pending = [];
    pendingBytes = 0;
    sink.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  };
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
      if (!bound.admits(sink.queuedBytes() + pendingBytes, frame.byteLength)) {
        // Cut off, not ended politely behind what it did not read: what is queued for it goes too.
        finish();
        sink.cutOff();
        return;
      }
      queue(frame);
    },
    end() {
      if (closed) return;
      flushPending();
      finish();
      sink.end();
    },
  };
  try {
    cleanup = open(follower);
  } catch (error) {
    closed = true;
    throw error;
  }
  if (closed) {
    cleanup();
    return;
  }
  // The head, the reconnect delay and any replay made synchronously, in one write.
  flushPending();
  openSinks.add(sink);
  startHeartbeats();
}
