import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import pino, { type Logger } from 'pino';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;
const INFO = 30;

interface LineSink {
  write(line: string): unknown;
}

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane) and logs one line when
 * it ends: method, path, status, duration. Query strings are left out of the log on purpose.
 */
export function accessLog({ logger, headerName = 'X-Request-Id' }: { logger: Logger; headerName?: string }): MiddlewareHandler {
  const writeLine = lineWriter(logger);
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header(headerName);
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    // On Node the id goes onto the outgoing message, which every response is written to (those made
    // outside the context with new Response(...) too), and the handler's Response stays as it was
    // made. Through c.header, every response would get a WHATWG Headers object (each name checked,
    // the list sorted, then copied out again by the adapter): several µs of a small GET.
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (outgoing) outgoing.setHeader(headerName, requestId);
    // Elsewhere (app.request in tests), before the response exists: set afterwards, it would make
    // Hono copy the finished response into a new one with a streamed body.
    else c.header(headerName, requestId);
    await next();
    if (!outgoing) withRequestId(c, headerName, requestId);
    if (logger.isLevelEnabled('info')) {
      writeLine({ req_id: requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 100) / 100 });
    }
  };
}

/** A Response made outside the context (new Response(...)) has not got the id: add it in place. */
function withRequestId(c: Context, headerName: string, requestId: string): void {
  const headers = c.res.headers;
  if (headers.get(headerName) === requestId) return;
  try {
    headers.set(headerName, requestId);
  } catch {
    c.header(headerName, requestId); // immutable headers: Hono copies the response
  }
}

interface RequestLine {
  req_id: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/**
 * The line pino would write for `logger.info(fields, 'request')`, built by hand and handed to the
 * logger's own destination: pino's generic path (serialisers, redaction by path) costs several
 * times more, once per request, for five fields that never hold a secret.
 */
function lineWriter(logger: Logger): (fields: RequestLine) => void {
  const sink = (logger as unknown as Record<symbol, LineSink | undefined>)[pino.symbols.streamSym];
  if (!sink || typeof sink.write !== 'function') return (fields) => logger.info(fields, 'request');
  // The lines of requests that end in the same turn of the event loop go out in one write: under
  // load, one write (a thread-pool round trip) per request costs more than the request itself.
  let pending = '';
  const flush = () => {
    const lines = pending;
    pending = '';
    sink.write(lines);
  };
  return ({ req_id, method, path, status, ms }) => {
    if (pending === '') setImmediate(flush);
    pending +=
      `{"level":${INFO},"time":${Date.now()},"req_id":${JSON.stringify(req_id)},"method":${JSON.stringify(method)},` +
      `"path":${JSON.stringify(path)},"status":${status},"ms":${ms},"msg":"request"}\n`;
  };
}
