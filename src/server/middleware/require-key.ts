import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../api/errors.js';
import type { SecurityPolicy } from './security-policy.js';

/** With a secret key configured, every path but the public ones needs it (Bearer or X-Secret-Key). */
export function requireKey({ policy, isPublic }: { policy: () => SecurityPolicy; isPublic: (path: string) => boolean }): MiddlewareHandler {
  return async (c, next) => {
    const current = policy();
    if (!current.requiresKey || isPublic(c.req.path)) return next();
    const authorization = c.req.header('authorization');
    const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : c.req.header('x-secret-key');
    if (presented === undefined) {
      throw new ApiError(401, 'unauthorized', 'This server needs its secret key: send Authorization: Bearer <key> or X-Secret-Key: <key>.', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    if (!current.acceptsKey(presented)) throw new ApiError(401, 'invalid_key', 'The secret key is not valid.');
    return next();
  };
}
