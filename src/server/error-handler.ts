import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { ApiError } from '../api/errors.js';

/** Turns anything thrown into `{error, code}` with the right status, in one place. */
export function renderErrors({ logger }: { logger: Logger }): ErrorHandler {
  return (error, c) => {
    const apiError = toApiError(error);
    // Only a 500 is goosed's own bug; a 502 (the provider failed: logged where the reply ended) and
    // a 503 (shutting down, the page not built) are not errors of this server.
    if (apiError.status === 500) {
      logger.error({ req_id: c.get('requestId' as never), err: error }, 'request failed');
    }
    return errorResponse(c, apiError);
  };
}

export function errorResponse(c: Context, error: ApiError): Response {
  if (error.headers) for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(error.toBody(), error.status);
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Hono's own validators and helpers throw these; give them stable codes.
    if (error.status === 400 && /JSON/i.test(error.message)) {
      return new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    if (error.status === 413) return new ApiError(413, 'body_too_large', 'The request body is too large.');
    if (error.status === 415) return new ApiError(415, 'unsupported_media_type', 'Send the body as JSON, with Content-Type: application/json.');
    const status = error.status as ApiError['status'];
    return new ApiError(status, status === 400 ? 'bad_request' : 'http_error', error.message || 'The request could not be handled.');
  }
  return new ApiError(500, 'internal_error', 'The server hit an unexpected error; it is logged with the request id.');
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
      return errorResponse(c, new ApiError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${path}; use ${methods.join(' or ')}.`));
    }
    return errorResponse(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${path}.`));
  };
}
