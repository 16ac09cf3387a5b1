import type { MiddlewareHandler } from 'hono';

/**
 * Runs body-inspecting middleware, in the order given, only for requests that can carry a body.
 * GET and HEAD never do (the Node adapter gives them none), but asking a request for its body makes
 * the adapter build a full WHATWG Request (headers copy, AbortController, stream): measured at
 * about a third of the cost of a small GET, so reads skip it. One step for all of them: each
 * middleware Hono runs is a promise more for every request.
 */
export function onlyWithBody(...middleware: MiddlewareHandler[]): MiddlewareHandler {
  const run = middleware.reduceRight<MiddlewareHandler>((inner, outer) => (c, next) => outer(c, () => inner(c, next) as Promise<void>), (_c, next) => next());
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : run(c, next));
}
