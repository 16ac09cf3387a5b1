// A follower of /events that stops reading once its stream has started, as a client does whose
// process hangs or whose network stalls: it never reads the socket again until told to.
import { connect, type Socket } from 'node:net';
import { SseParser } from '../../src/client/sse-parser.js';
import type { SseFrame } from './sse-client.js';

export interface StalledFollower {
  socket: Socket;
  /**
   * Reads again: everything the server left on the connection, until the server closes it (then
   * `closed` is true) or `timeoutMs` passes (a server that kept the connection open).
   */
  readToEnd(timeoutMs?: number): Promise<{ frames: SseFrame[]; closed: boolean }>;
  close(): void;
}

/** Opens `GET /api/sessions/{id}/events` over a raw socket and pauses it once the stream started. */
export async function openStalledFollower(baseUrl: string, sessionId: string, headers: Record<string, string> = {}): Promise<StalledFollower> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`GET /api/sessions/${sessionId}/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n${extra}\r\n`);
  const received: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received.push(chunk);
      // The stream's first bytes (the reconnect delay) follow the head: it is subscribed by now.
      if (!Buffer.concat(received).includes('retry: ')) return;
      socket.off('data', onData);
      socket.pause();
      resolve();
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  return {
    socket,
    readToEnd: (timeoutMs = 30_000) =>
      new Promise((resolve) => {
        const finish = (closed: boolean) => {
          clearTimeout(timer);
          resolve({ frames: parseChunkedSse(Buffer.concat(received)), closed });
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        socket.on('data', (chunk: Buffer) => received.push(chunk));
        socket.once('close', () => finish(true));
        socket.resume();
      }),
    close: () => socket.destroy(),
  };
}

/** The complete frames of a chunked text/event-stream response (a frame cut midway is left out). */
function parseChunkedSse(raw: Buffer): SseFrame[] {
  const headEnd = raw.indexOf('\r\n\r\n');
  let at = headEnd + 4;
  const body: Buffer[] = [];
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = parseInt(raw.toString('latin1', at, lineEnd), 16);
    if (!(size > 0)) break;
    const start = lineEnd + 2;
    if (start + size > raw.length) {
      body.push(raw.subarray(start));
      break;
    }
    body.push(raw.subarray(start, start + size));
    at = start + size + 2;
  }
  const frames: SseFrame[] = [];
  new SseParser({ frame: ({ id, event, data }) => void frames.push({ id, event, data: JSON.parse(data) }) }).push(Buffer.concat(body).toString('utf8'));
  return frames;
}
