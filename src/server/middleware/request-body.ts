import type { HttpBindings } from '@hono/node-server';
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../http-error.js';
import { jsonDepthLimit, MAX_JSON_DEPTH, refuseDeepJson, unreadableBody } from './json-depth-limit.js';
import { onlyWithBody } from './only-with-body.js';

const JSON_TYPE = /json/i;
const utf8 = new TextDecoder();

/**
 * Reads a request's body once, before the route: refused past `maxBytes` (413 body_too_large) and,
 * for JSON, nested deeper than `maxDepth` (400 json_too_deep). On Node the body is read straight
 * from the IncomingMessage and handed to Hono's body cache, where the validators find it; asking
 * the adapter's request for its body instead builds a whole WHATWG Request (headers, an
 * AbortController, a web stream of the socket), and Hono's bodyLimit then builds a second one:
 * about a tenth of what starting a reply cost (docs/benchmarks.md). Elsewhere (`app.request`),
 * Hono's bodyLimit and the depth check do the same on the web Request.
 */
export function requestBody({ maxBytes, maxDepth = MAX_JSON_DEPTH }: { maxBytes: number; maxDepth?: number }): MiddlewareHandler {
  const tooLarge = () => new HttpError(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
  const onWeb = onlyWithBody(
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw tooLarge();
      },
    }),
    jsonDepthLimit({ maxDepth }),
  );
  return async (c, next) => {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    if (!incoming) return onWeb(c, next);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const chunked = incoming.headers['transfer-encoding'] !== undefined;
    const length = incoming.headers['content-length'];
    // Without either header a request has no body (RFC 9112, 6.3).
    if (!chunked && (length === undefined || Number(length) === 0)) return next();
    if (!chunked && Number(length) > maxBytes) throw tooLarge();
    const bytes = await readAll(incoming, maxBytes, tooLarge);
    // Hono keeps promises there (its type says values), and makes any other form from the one it has.
    const body = c.req.bodyCache as Record<string, Promise<unknown>>;
    if (JSON_TYPE.test(incoming.headers['content-type'] ?? '')) {
      // As Request.text() decodes: UTF-8, a leading byte-order mark dropped, bad bytes replaced.
      const text = utf8.decode(bytes);
      body.text = Promise.resolve(text);
      refuseDeepJson(text, maxDepth);
    } else {
      body.arrayBuffer = Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
    return next();
  };
}

/** The whole body; a body cut short is 400 (as an unreadable body was), one past the limit 413. */
function readAll(incoming: IncomingMessage, maxBytes: number, tooLarge: () => HttpError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (settle: () => void) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        // The rest is left unread: the answer says Connection: close (closeWhenBodyUnread).
        incoming.pause();
        done(() => reject(tooLarge()));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    const onError = () => done(() => reject(unreadableBody()));
    const onClose = () => {
      if (!incoming.complete) done(() => reject(unreadableBody()));
    };
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onError);
    incoming.once('close', onClose);
  });
}
