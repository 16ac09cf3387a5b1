import { createRoute, z } from '@hono/zod-openapi';
import { AddExtensionRequest, Extension, SessionExtensionParams } from '../../api/extensions.js';
import { SessionIdParam } from '../../api/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const listSessionExtensions = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/extensions',
  tags: ['extensions'],
  summary: "A session's own extensions",
  description: "Offered in this session's replies only, besides the server-wide ones (`GET /api/extensions`). Reading the list starts nothing.",
  request: { params: SessionIdParam },
  responses: { 200: jsonContent(z.array(Extension), 'The extensions, oldest first'), ...errorResponses(404) },
});

const addSessionExtension = createRoute({
  method: 'post',
  path: '/api/sessions/{id}/extensions',
  tags: ['extensions'],
  summary: 'Add an extension to one session',
  description:
    "As `POST /api/extensions`, for this session only: its tools are offered in this session's replies, and it is deleted with the session. It starts in the background. A name used in the session, or by a server-wide extension (both would offer the same tool names), is 409.",
  request: { params: SessionIdParam, body: jsonBody(AddExtensionRequest) },
  responses: { 201: jsonContent(Extension, 'Added'), ...errorResponses(400, 404, 409, 413, 415) },
});

const deleteSessionExtension = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}/extensions/{extension_id}',
  tags: ['extensions'],
  summary: "Remove one of a session's own extensions",
  description: 'Stops it. Remembered always_allow / always_deny decisions about its tools stay (they are by tool name, shared by every session).',
  request: { params: SessionExtensionParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(404) },
});

/** Extensions of one session, e.g. the MCP servers an editor gives `goosed acp` with a new session. */
export function sessionExtensionRoutes(app: App, { sessions, extensions }: AppContext): void {
  app.openapi(listSessionExtensions, async (c) => {
    const { id } = c.req.valid('param');
    await sessions.get(id);
    return c.json(await extensions.list({ start: false, sessionId: id }), 200);
  });

  app.openapi(addSessionExtension, async (c) => {
    const { id } = c.req.valid('param');
    await sessions.get(id);
    return c.json(await extensions.add(c.req.valid('json'), id), 201);
  });

  app.openapi(deleteSessionExtension, async (c) => {
    const { id, extension_id } = c.req.valid('param');
    await sessions.get(id);
    await extensions.remove(extension_id, id);
    return c.body(null, 204);
  });
}
