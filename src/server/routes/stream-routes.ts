import { createRoute } from '@hono/zod-openapi';
import { upgradeWebSocket } from '@hono/node-server';
import type { WebSocket } from 'ws';
import { ErrorBody } from '../../api/errors.js';
import { SessionIdParam } from '../../api/sessions.js';
import { ClientFrame, WebSocketUpgradeQuery } from '../../api/websocket.js';
import type { App, AppContext } from '../app-context.js';
import { checkKey, presentedKey } from '../middleware/require-key.js';
import { SessionSocket } from '../websocket/session-socket.js';
import { errorResponses, jsonContent } from './route-helpers.js';

const STREAM_PATH = /^\/api\/sessions\/[^/]+\/stream$/;

/** The upgrade checks the key itself (it may come in the first frame), so the key middleware passes it over. */
export const isSessionStreamPath = (path: string): boolean => STREAM_PATH.test(path);

const followOverWebSocket = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/stream',
  tags: ['events'],
  summary: "The seed's WebSocket: send messages and follow the session's events",
  description: [
    'Upgrade to a WebSocket (`ws://HOST:PORT/api/sessions/{id}/stream`). The upgrade passes the same Host and Origin checks as every request.',
    'With a secret key, send it as a header, or (browsers) as the first frame `{"type":"auth","key":"..."}`.',
    '',
    'Client frames (JSON text, `WebSocketClientFrame`): `message`, `cancel`, `approval`, `resume`, `auth`.',
    "Server frames: the session's events (`SessionEvent`), the same objects as SSE, as JSON text; the connection follows the session live from the moment it opens (or from `?after=` / `resume`).",
    'A frame that is refused (not JSON, binary, too large, unknown type, a missing field, `session_busy`, `no_provider`) gets an `error` event for that client only; the connection stays open.',
    '',
    'Close codes: 1001 server shutting down; 1009 frame far over the limit; 4008 the client read too slowly (reconnect and `resume`);',
    '4401 key missing from the first frame, or wrong; 4404 no such session; 4410 the session was deleted.',
  ].join('\n'),
  request: { params: SessionIdParam, query: WebSocketUpgradeQuery },
  responses: {
    101: { description: 'Switching Protocols: the connection is now a WebSocket carrying the frames described above' },
    426: jsonContent(ErrorBody, 'Not a WebSocket upgrade request'),
    ...errorResponses(400),
  },
  'x-websocket': {
    'client-frames': { $ref: '#/components/schemas/WebSocketClientFrame' },
    'server-frames': { $ref: '#/components/schemas/SessionEvent' },
  },
});

export function streamRoutes(app: App, context: AppContext): void {
  // No route body refers to the client frames, so they are registered as components here (each frame type comes along by reference).
  app.openAPIRegistry.register('WebSocketClientFrame', ClientFrame);
  const deps = { events: context.events, replies: context.replies, approvals: context.approvals, store: context.store, policy: context.policy, logger: context.logger, limits: context.sockets.options };

  app.openapi(followOverWebSocket, async (c) => {
    const { id } = c.req.valid('param');
    const { after } = c.req.valid('query');
    const presented = presentedKey(c);
    const isUpgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
    // A key sent as a header is checked now: a wrong one refuses the upgrade with 401.
    if (presented !== undefined || !isUpgrade) checkKey(context.policy(), presented);
    if (!isUpgrade) {
      return c.json({ error: 'This path is a WebSocket: connect with ws:// (Upgrade: websocket).', code: 'upgrade_required' }, 426, { Upgrade: 'websocket' });
    }
    const authenticated = !context.policy().requiresKey || presented !== undefined;
    let socket: SessionSocket | null = null;
    const response = await upgradeWebSocket(c, {
      onOpen: (_event, ws) => {
        // The raw socket is the `ws` library's: the server handed over in start-server.ts is a ws WebSocketServer.
        socket = new SessionSocket(ws.raw as unknown as WebSocket, id, authenticated, after ?? null, deps);
        context.sockets.add(socket);
      },
      onMessage: (event) => socket?.receive(event.data),
      onClose: () => {
        if (socket) context.sockets.remove(socket);
      },
      onError: (event) => context.logger.debug({ session_id: id, err: (event as ErrorEvent).error }, 'websocket error'),
    });
    // The 101 is written by the upgrade itself; the typed responses of the route cannot express it.
    return response as never;
  });
}
