import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { Logger } from 'pino';
import { HttpError } from './http-error.js';
import { renderError } from './error-status.js';

/** Turns anything thrown into `{error, code}` with the right status, in one place. */
export function renderErrors({ logger }: { logger: Logger }): ErrorHandler {
  return (error, c) => {
    const rendered = renderError(error);
    // Only a 500 is goosed's own bug; a 502 (the provider failed: logged where the reply ended) and
    // a 503 (shutting down, the page not built) are not errors of this server.
    if (rendered.unexpected) logger.error({ req_id: c.get('requestId' as never), err: error }, 'request failed');
    if (rendered.headers) for (const [name, value] of Object.entries(rendered.headers)) c.header(name, value);
    return c.json(rendered.body, rendered.status);
  };
}

function errorResponse(c: Context, error: HttpError): Response {
  return c.json(error.toBody(), error.status);
}

/**
 * Unmatched requests: 405 when the path exists with another method, else 404. Only this slow
 * path looks at the route table, so matched requests pay nothing for it.
 */
export function renderNotFound({ routes }: { routes: () => { method: string; path: string }[] }): NotFoundHandler {
  let patterns: { method: string; pattern: RegExp }[] | null = null;
  return (c) => {
    patterns ??= routes()
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ method: route.method, pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*')}$`) }));
    const path = c.req.path;
    const methods = [...new Set(patterns.filter((route) => route.pattern.test(path)).map((route) => route.method))];
    if (methods.length > 0) {
      c.header('Allow', methods.join(', '));
      return errorResponse(c, new HttpError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${path}; use ${methods.join(' or ')}.`));
    }
    return errorResponse(c, new HttpError(404, 'not_found', `No route for ${c.req.method} ${path}.`));
  };
}
