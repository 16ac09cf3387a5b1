import type { ServerResponse } from 'node:http';

/** The head of every SSE response. No compression: a proxy or middleware that buffers would hold the frames back. */
export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

/** Where an SSE response's bytes go: the Node response itself, or (off Node) a web stream. */
export interface SseSink {
  /** Bytes written but not yet taken by the client's connection: still in this process. */
  queuedBytes(): number;
  write(chunk: Uint8Array): void;
  end(): void;
  /** Drops the connection of a client that does not read (it reconnects to catch up). */
  cutOff(): void;
}

/**
 * Straight onto Node's response: the status and head go out with the first write (Node sends them
 * together), and each write is one chunk on the socket, with no stream or promise in between.
 * `onClose` runs once the connection is gone or the response has ended.
 */
export function responseSink(outgoing: ServerResponse, onClose: () => void): SseSink {
  outgoing.once('close', onClose);
  return {
    queuedBytes: () => outgoing.writableLength,
    write(chunk) {
      // Headers set on the message before (X-Request-Id, CORS) are merged with these by Node.
      if (!outgoing.headersSent) outgoing.writeHead(200, SSE_HEADERS);
      outgoing.write(chunk);
    },
    end: () => outgoing.end(),
    cutOff: () => outgoing.destroy(),
  };
}

/** Off Node (app.request): a web stream the framework reads, counted in bytes. */
export function webStreamSink(onClose: () => void): { body: ReadableStream<Uint8Array>; sink: SseSink } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>(
    {
      start: (started) => void (controller = started),
      cancel: onClose,
    },
    // With a high-water mark of 0, desiredSize is minus the bytes queued.
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  const settle = (action: () => void) => {
    try {
      action();
    } catch {
      // the reader went away in the meantime
    }
  };
  return {
    body,
    sink: {
      queuedBytes: () => -(controller.desiredSize ?? 0),
      write: (chunk) => settle(() => controller.enqueue(chunk)),
      end: () => settle(() => controller.close()),
      cutOff: () => settle(() => controller.error(new Error('slow_consumer: the client did not read its events'))),
    },
  };
}
