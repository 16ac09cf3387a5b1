import { createRoute, z } from '@hono/zod-openapi';
import { Message, MessageListQuery } from '../../api/messages.js';
import { SessionIdParam } from '../../api/sessions.js';
import { InvalidInput } from '../../api/domain-errors.js';
import { decodeMessageCursor } from '../../store/cursor.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonContent, pageHeaders } from './route-helpers.js';
import { jsonBytesResponse, jsonBytesWriter } from '../json/json-bytes.js';
import { MessagesJson } from '../json/message-json.js';

const listMessages = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/messages',
  tags: ['messages'],
  summary: "A session's messages, oldest first",
  description: 'A plain array; with `limit`, `X-Next-Cursor` and `Link` headers point to the next page.',
  request: { params: SessionIdParam, query: MessageListQuery },
  responses: { 200: jsonContent(z.array(Message), 'The history'), ...errorResponses(400, 404) },
});

export function messageRoutes(app: App, { sessions, store }: AppContext): void {
  app.openapi(listMessages, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    await sessions.get(id);
    if (query.cursor !== undefined && decodeMessageCursor(query.cursor) === null) {
      throw new InvalidInput('invalid_cursor', 'cursor is not one this server handed out; start again without it.');
    }
    // The bytes of c.json(page.items), written from the stored text.
    const out = jsonBytesWriter();
    const messages = new MessagesJson(out);
    const { nextCursor } = await store.readStoredMessages(id, query, messages);
    messages.end();
    const response = jsonBytesResponse(c, out, pageHeaders(`/api/sessions/${id}/messages`, query, nextCursor));
    return response as unknown as ReturnType<typeof c.json<Message[], 200>>;
  });
}
