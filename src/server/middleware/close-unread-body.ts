import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import { closeLingering } from '../lingering-close.js';

/**
 * A response made before the request's body arrived whole (401, 403, 413 …) says
 * `Connection: close`. Kept alive, the connection would carry the rest of that body, which the
 * server can drain only so far before it drops the socket, under a client that was told it could
 * send its next request on it ("socket hang up").
 */
export function closeWhenBodyUnread(): MiddlewareHandler {
  return async (c, next) => {
    const { incoming, outgoing } = (c.env as Partial<HttpBindings> | undefined) ?? {};
    if (!incoming || !outgoing) return next();
    await next();
    if (incoming.complete || outgoing.headersSent) return;
    outgoing.setHeader('Connection', 'close');
    // Node closes a `Connection: close` socket with destroySoon() once the response is out; the
    // client is still sending the body, so close in stages instead.
    const socket = incoming.socket;
    socket.destroySoon = () => closeLingering(socket);
  };
}
