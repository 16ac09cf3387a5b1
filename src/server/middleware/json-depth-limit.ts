import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../http-error.js';

/** The deepest nesting accepted in a JSON body or a WebSocket frame: more than any of them needs. */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text nests objects and arrays deeper than `maxDepth`. One pass over the
 * characters, brackets inside strings ignored; it does not validate the JSON (JSON.parse does).
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** A body that could not be read whole (the client went away, the stream failed). */
export function unreadableBody(): HttpError {
  return new HttpError(400, 'invalid_json', 'The request body could not be read.');
}

/** Throws 400 json_too_deep when the JSON text nests deeper than `maxDepth`. */
export function refuseDeepJson(text: string, maxDepth: number): void {
  if (jsonNestingExceeds(text, maxDepth)) throw new HttpError(400, 'json_too_deep', `The JSON body is nested deeper than ${maxDepth} levels.`);
}

/**
 * Refuses JSON bodies nested deeper than any request of this API needs. Deep nesting is cheap to
 * send and dear to handle: JSON.parse slows superlinearly (a million levels block the event loop
 * for seconds), and values stored as JSON (an extension's config) overflow the stack of
 * JSON.stringify from a few thousand levels. The text read here is the one the validator parses.
 */
export function jsonDepthLimit({ maxDepth = MAX_JSON_DEPTH }: { maxDepth?: number } = {}): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.raw.body && /json/i.test(c.req.header('content-type') ?? '')) {
      const text = await c.req.text().catch(() => {
        throw unreadableBody();
      });
      refuseDeepJson(text, maxDepth);
    }
    return next();
  };
}
