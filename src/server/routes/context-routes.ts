import { createRoute, z } from '@hono/zod-openapi';
import { CompactResult, ContextSummary } from '../../api/context.js';
import { SessionIdParam } from '../../api/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonContent } from './route-helpers.js';
import { ProviderFailure } from '../../agent/model-step.js';
import { HttpError } from '../http-error.js';

const compactSession = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/compact',
  tags: ['sessions'],
  summary: 'Summarise the older part of the conversation now',
  description:
    "The model writes a summary of every turn but the most recent ones; from then on it sees the summary instead of them. The history keeps every message. Followers get `context_compacted`. 409 `session_busy` while a reply runs (a message sent meanwhile is answered the same way). `summary` is null when there is no older turn to summarise.",
  request: { params: SessionIdParam },
  responses: { 200: jsonContent(CompactResult, 'The summary and the context after it'), ...errorResponses(400, 404, 409, 422, 502) },
});

const listSummaries = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/summaries',
  tags: ['sessions'],
  summary: "The session's summaries, oldest first",
  description: 'The model sees the last one, then the messages after its `through_message_id`.',
  request: { params: SessionIdParam },
  responses: { 200: jsonContent(z.array(ContextSummary), 'The summaries'), ...errorResponses(404) },
});

export function contextRoutes(app: App, { replies, sessions, store }: AppContext): void {
  app.openapi(compactSession, async (c) => {
    const { id } = c.req.valid('param');
    try {
      return c.json(await replies.compact(id), 200);
    } catch (error) {
      // The summary is the model's work: its failure is the provider's, as for a reply.
      if (error instanceof ProviderFailure) throw new HttpError(502, error.info.code, error.info.message);
      throw error;
    }
  });

  app.openapi(listSummaries, async (c) => {
    const { id } = c.req.valid('param');
    await sessions.get(id);
    return c.json(await store.listSummaries(id), 200);
  });
}
