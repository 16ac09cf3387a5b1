import { createRoute, z } from '@hono/zod-openapi';
import { SessionIdParam } from '../../api/sessions.js';
import { SessionEvent } from '../../api/events.js';
import { HttpError } from '../http-error.js';
import type { App, AppContext } from '../app-context.js';
import { sseResponse } from '../sse.js';
import { errorResponses } from './route-helpers.js';

const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).optional().openapi({ description: 'Replay events after this seq (like Last-Event-ID).' }),
});

const followSession = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/events',
  tags: ['events'],
  summary: "Follow every event of a session, live, with replay",
  description:
    'Server-Sent Events: `id: <seq>`, `event: <type>`, `data: <SessionEvent JSON>`, and a comment heartbeat. Reconnect with `Last-Event-ID` (or `?after=`) to get what was missed, then live events; where that is no longer available, one `resync` event comes instead (fetch the session, then follow on).',
  request: { params: SessionIdParam, query: EventsQuery },
  responses: {
    200: { description: 'The session\'s events', content: { 'text/event-stream': { schema: SessionEvent } } },
    ...errorResponses(400, 404),
  },
});

export function eventRoutes(app: App, { sessions, events, followerQueueBytes }: AppContext): void {
  app.openapi(followSession, async (c) => {
    const { id } = c.req.valid('param');
    await sessions.get(id);
    const lastEventId = c.req.header('last-event-id');
    let after = c.req.valid('query').after ?? null;
    if (lastEventId !== undefined && lastEventId !== '') {
      if (!/^\d+$/.test(lastEventId)) throw new HttpError(400, 'invalid_last_event_id', 'Last-Event-ID must be a seq number this server sent.');
      after = Number(lastEventId);
    }
    return sseResponse(c, (follower) => events.follow(id, follower, after), { maxQueuedBytes: followerQueueBytes });
  });
}
