import { createRoute, z } from '@hono/zod-openapi';
import { orNull } from '../../api/nullable.js';
import { Message, SendMessageRequest } from '../../api/messages.js';
import { SessionIdParam } from '../../api/sessions.js';
import { SessionEvent } from '../../api/events.js';
import { ErrorBody } from '../../api/errors.js';
import { HttpError } from '../http-error.js';
import type { App, AppContext } from '../app-context.js';
import { followReply } from '../../events/follow-reply.js';
import { sseResponse } from '../sse.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const IdempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'Sending the same key again does not start a second reply.' }),
});

const sendMessage = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/messages',
  tags: ['messages'],
  summary: 'Send a message and wait for the complete reply',
  description:
    'Answers with the assistant message once the reply has ended (tool calls and approvals included). A reply that fails answers 502 with `{error, code}` (422 `context_too_long` when the conversation does not fit the model even compacted); what it wrote is kept in the history.',
  request: { params: SessionIdParam, headers: IdempotencyHeader, body: jsonBody(SendMessageRequest) },
  responses: {
    200: jsonContent(Message, 'The assistant message (`status` complete or cancelled)'),
    502: { description: 'The provider failed', content: { 'application/json': { schema: ErrorBody } } },
    ...errorResponses(400, 404, 409, 413, 415, 422),
  },
});

const streamMessage = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/messages/stream',
  tags: ['messages'],
  summary: 'Send a message and follow the reply as Server-Sent Events',
  description:
    'Frames are `id: <seq>`, `event: <type>`, `data: <SessionEvent JSON>`. The stream ends after `message_complete` or `error`. Disconnecting does not stop the reply: rejoin through `/events` with `Last-Event-ID`.',
  request: { params: SessionIdParam, headers: IdempotencyHeader, body: jsonBody(SendMessageRequest) },
  responses: {
    200: { description: 'The reply, as it happens', content: { 'text/event-stream': { schema: SessionEvent } } },
    ...errorResponses(400, 404, 409, 413, 415),
  },
});

const CancelResult = z.object({ cancelled: z.boolean(), message: orNull(Message) }).openapi('CancelResult');

const cancelReply = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/cancel',
  tags: ['messages'],
  summary: 'Stop the running reply',
  description: 'Aborts the provider request and kills running tools, then answers with the partial reply (status cancelled). `cancelled: false` when nothing was running.',
  request: { params: SessionIdParam },
  responses: { 200: jsonContent(CancelResult, 'What was stopped'), ...errorResponses(404) },
});

export function replyRoutes(app: App, { replies, sessions, events, followerQueueBytes }: AppContext): void {
  app.openapi(sendMessage, async (c) => {
    const { id } = c.req.valid('param');
    const reply = await replies.send(id, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    const message = await reply.done;
    if (message.status === 'error' && message.error) {
      // A conversation that no longer fits is not the provider's failure.
      throw new HttpError(message.error.code === 'context_too_long' ? 422 : 502, message.error.code, message.error.error);
    }
    return c.json(message, 200);
  });

  app.openapi(streamMessage, async (c) => {
    const { id } = c.req.valid('param');
    const reply = await replies.send(id, c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return sseResponse(c, (follower) => followReply(events, reply, follower), { maxQueuedBytes: followerQueueBytes });
  });

  app.openapi(cancelReply, async (c) => {
    const { id } = c.req.valid('param');
    await sessions.get(id);
    const running = replies.get(id);
    if (!running) {
      // Another instance may run it (several instances on one database).
      const stopped = await replies.cancelElsewhere(id);
      return c.json({ cancelled: stopped !== null, message: stopped }, 200);
    }
    replies.cancel(id);
    // Answer once it has really stopped: provider request aborted, tools killed, partial reply saved.
    return c.json({ cancelled: true, message: await running.done }, 200);
  });
}
