// A bare HTTP/1.1 client over a TCP socket: fetch and node:http refuse to send the bytes a fuzzer
// needs (raw non-UTF-8 in paths and headers, any method, any Host), so requests are written by hand.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Path and query exactly as they go on the request line. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The response was a stream (SSE) that was cut off on purpose after its first bytes. */
  streamCut: boolean;
}

export class NoAnswer extends Error {}

/**
 * Sends one request on its own connection and reads the answer, then closes. A server that answers
 * before reading a large body (403, 413) and closes with the body unread makes the kernel reset the
 * connection, and the answer can be lost on the way; goosed answers such requests with
 * `Connection: close` and reads the rest of the body before closing, so the answer arrives, as it
 * does for fetch or curl. A Server-Sent Events answer is read for `streamReadMs` and then cut (a
 * session's event stream never ends on its own).
 */
export function sendRaw(port: number, request: RawRequest, { timeoutMs = 15_000, streamReadMs = 200 } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    let streamTimer: NodeJS.Timeout | null = null;
    const started = performance.now();
    const finish = (streamCut: boolean, why = 'the connection closed') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (streamTimer) clearTimeout(streamTimer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const parsed = parseResponse(raw, streamCut);
      if (parsed) resolve(parsed);
      else reject(new NoAnswer(`no HTTP answer to ${request.method} ${request.target.slice(0, 200)}: ${why} after ${Math.round(performance.now() - started)} ms, ${raw.length} bytes received`));
    };
    const timer = setTimeout(() => finish(false, 'timed out'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const raw = chunks.length === 1 ? chunk : Buffer.concat(chunks);
      if (!streamTimer && /content-type:\s*text\/event-stream/i.test(raw.subarray(0, 4096).toString('latin1'))) {
        streamTimer = setTimeout(() => finish(true), streamReadMs);
      }
      if (!streamTimer && isComplete(raw, request.method)) finish(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(false, error.code ?? error.message));
    socket.on('close', () => finish(false));
    const head = [`${request.method} ${request.target} HTTP/1.1`];
    const headers = { ...request.headers };
    if (request.body && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
      (headers as Record<string, string>)['content-length'] = String(request.body.length);
    }
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    socket.write(Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'));
    if (request.body) socket.write(request.body);
  });
}

/** A whole response is in: by Content-Length, by the last chunk, or with no body at all. */
function isComplete(raw: Buffer, method: string): boolean {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd === -1) return false;
  const head = raw.subarray(0, headEnd).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  if (method === 'HEAD' || status === 204 || status === 304) return true;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return raw.length - headEnd - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return raw.subarray(-5).toString('latin1') === '0\r\n\r\n';
  return false;
}

function parseResponse(raw: Buffer, streamCut: boolean): RawResponse | null {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd === -1) return null;
  const lines = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!status) return null;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(headEnd + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(status[1]), headers, body, streamCut };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
