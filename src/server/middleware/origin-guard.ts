import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from '../http-error.js';
import type { SecurityPolicy } from './security-policy.js';

const ALLOWED_HEADERS = 'Authorization, X-Secret-Key, Content-Type, Idempotency-Key, Last-Event-ID, X-Request-Id';
const EXPOSED_HEADERS = 'X-Request-Id, X-Next-Cursor, Link';
const ALLOWED_METHODS = 'GET, POST, PATCH, PUT, DELETE, OPTIONS';

/**
 * Refuses a Host this server does not answer to (DNS rebinding), an Origin it does not allow (a
 * foreign web page), and what a browser marks as sent by another site without an Origin (an
 * `<img>`, a `<script>`, a link): only a top-level navigation to one of the `isPage` paths may come
 * that way. Answers CORS for the configured cross origins only — never `*`. Requests without an
 * Origin or Sec-Fetch-Site (curl, scripts, other services) pass here; the key guards them.
 */
export function originGuard({ policy, isPage }: { policy: () => SecurityPolicy; isPage: (path: string) => boolean }): MiddlewareHandler {
  return async (c, next) => {
    const current = policy();
    const host = c.req.header('host');
    if (!current.allowsHost(host)) {
      throw new HttpError(403, 'forbidden_host', `This server does not answer to the host ${JSON.stringify(host ?? '')}; add it to allowed_hosts if it is yours.`);
    }
    const origin = c.req.header('origin');
    if (origin === undefined) {
      if (c.req.header('sec-fetch-site') === 'cross-site' && !isNavigationToPage(c, isPage)) {
        throw new HttpError(403, 'forbidden_cross_site', 'Requests made by another site are refused; only following a link to the web page is allowed.');
      }
      return next();
    }
    if (!current.allowsOrigin(origin, host)) {
      throw new HttpError(403, 'forbidden_origin', `Requests from the origin ${JSON.stringify(origin)} are not allowed; add it to allowed_origins if you trust it.`);
    }
    const crossOrigin = current.isCrossOriginAllowed(origin);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': ALLOWED_METHODS,
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        },
      });
    }
    if (!crossOrigin) return next();
    const headers: [string, string][] = [
      ['Access-Control-Allow-Origin', origin],
      ['Access-Control-Expose-Headers', EXPOSED_HEADERS],
      ['Vary', 'Origin'],
    ];
    // On Node, onto the outgoing message before the response exists (as the access log does with
    // the request id); set on the finished response, Hono would copy it.
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (outgoing) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      return next();
    }
    await next();
    for (const [name, value] of headers) c.header(name, value);
  };
}

/** A person following a link or typing the address: what a browser sends for it carries no data of ours back. */
function isNavigationToPage(c: Context, isPage: (path: string) => boolean): boolean {
  return c.req.method === 'GET' && c.req.header('sec-fetch-mode') === 'navigate' && isPage(c.req.path);
}
