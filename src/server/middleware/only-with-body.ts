import type { MiddlewareHandler } from 'hono';

/**
 * Runs a body-inspecting middleware only for requests that can carry a body. GET and HEAD never do
 * (the Node adapter gives them none), but asking a request for its body makes the adapter build a
 * full WHATWG Request (headers copy, AbortController, stream): measured at about a third of the
 * cost of a small GET, so reads skip it.
 */
export function onlyWithBody(middleware: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : middleware(c, next));
}
