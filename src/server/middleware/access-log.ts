import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane) and logs one line when
 * it ends: method, path, status, duration. Query strings are left out of the log on purpose.
 */
export function accessLog({ logger, headerName = 'X-Request-Id' }: { logger: Logger; headerName?: string }): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header(headerName);
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header(headerName, requestId);
    if (logger.isLevelEnabled('info')) {
      logger.info(
        { req_id: requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 100) / 100 },
        'request',
      );
    }
  };
}
