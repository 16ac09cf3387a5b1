import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from '../http-error.js';
import type { SecurityPolicy } from './security-policy.js';

/** `Bearer <token>`; the scheme is case-insensitive (RFC 7235), so `bearer` and `BEARER` are too. */
const BEARER = /^bearer\s+(.*)$/is;

/** The key a request carries: `Authorization: Bearer <key>` or `X-Secret-Key: <key>`. */
export function presentedKey(c: Context): string | undefined {
  const bearer = BEARER.exec(c.req.header('authorization') ?? '');
  return bearer ? bearer[1].trim() : c.req.header('x-secret-key');
}

/** Throws the 401 for a missing or wrong key; passes when the policy needs none. */
export function checkKey(policy: SecurityPolicy, presented: string | undefined): void {
  if (!policy.requiresKey) return;
  if (presented === undefined) {
    throw new HttpError(401, 'unauthorized', 'This server needs its secret key: send Authorization: Bearer <key> or X-Secret-Key: <key>.', {
      'WWW-Authenticate': 'Bearer',
    });
  }
  if (!policy.acceptsKey(presented)) throw new HttpError(401, 'invalid_key', 'The secret key is not valid.');
}

/**
 * With a secret key configured, every path but the `isPublic` ones needs it (Bearer or
 * X-Secret-Key). The WebSocket upgrade is passed over here and runs `checkKey` itself, because a
 * browser's key comes in the first frame instead.
 */
export function requireKey({ policy, isPublic }: { policy: () => SecurityPolicy; isPublic: (path: string) => boolean }): MiddlewareHandler {
  return async (c, next) => {
    const current = policy();
    if (!current.requiresKey || isPublic(c.req.path)) return next();
    checkKey(current, presentedKey(c));
    return next();
  };
}
