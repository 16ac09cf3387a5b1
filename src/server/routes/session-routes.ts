import { createRoute, z } from '@hono/zod-openapi';
import {
  CreateSessionRequest,
  ImportSessionRequest,
  Session,
  SessionExport,
  SessionIdParam,
  SessionListQuery,
  SessionSummary,
  UpdateSessionRequest,
} from '../../api/sessions.js';
import type { App, AppContext } from '../app-context.js';
import type { SessionPage } from '../../store/store.js';
import { errorResponses, jsonBody, jsonContent, pageHeaders } from './route-helpers.js';
import { jsonBytesResponse, jsonBytesWriter } from '../json/json-bytes.js';
import { MessagesJson } from '../json/message-json.js';

const DEFAULT_PAGE = 50;

const listSessions = createRoute({
  method: 'get',
  path: '/api/sessions',
  tags: ['sessions'],
  summary: 'List sessions, most recently updated first',
  description: 'A plain array. When more exist, `X-Next-Cursor` and a `Link: <...>; rel="next"` header point to the next page.',
  request: { query: SessionListQuery },
  responses: { 200: jsonContent(z.array(SessionSummary), 'One page of sessions'), ...errorResponses(400) },
});

const createSession = createRoute({
  method: 'post',
  path: '/api/sessions',
  tags: ['sessions'],
  summary: 'Create a session',
  request: { body: jsonBody(CreateSessionRequest) },
  responses: { 201: jsonContent(Session, 'Created'), ...errorResponses(400, 413, 415) },
});

const getSession = createRoute({
  method: 'get',
  path: '/api/sessions/{id}',
  tags: ['sessions'],
  summary: 'A session with its messages',
  request: { params: SessionIdParam },
  responses: { 200: jsonContent(Session, 'The session'), ...errorResponses(404) },
});

const updateSession = createRoute({
  method: 'patch',
  path: '/api/sessions/{id}',
  tags: ['sessions'],
  summary: 'Rename a session, or change its working directory or execution mode',
  request: { params: SessionIdParam, body: jsonBody(UpdateSessionRequest) },
  responses: { 200: jsonContent(SessionSummary, 'The session after the change'), ...errorResponses(400, 404, 413, 415) },
});

const deleteSession = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}',
  tags: ['sessions'],
  summary: 'Delete a session (cancelling its running reply)',
  request: { params: SessionIdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
});

const exportSession = createRoute({
  method: 'get',
  path: '/api/sessions/{id}/export',
  tags: ['sessions'],
  summary: 'A session and its messages as portable JSON',
  request: { params: SessionIdParam },
  responses: { 200: jsonContent(SessionExport, 'The export'), ...errorResponses(404) },
});

const importSession = createRoute({
  method: 'post',
  path: '/api/sessions/import',
  tags: ['sessions'],
  summary: 'Create a session from an export',
  description: 'Everything gets new ids. The working directory must exist here (or give `working_directory`).',
  request: { body: jsonBody(ImportSessionRequest) },
  responses: { 201: jsonContent(Session, 'The imported session'), ...errorResponses(400, 413, 415) },
});

export function sessionRoutes(app: App, { sessions, replies, store, extensions }: AppContext): void {
  // The store hands out the same page object until a session changes (see TieredStore), so its
  // JSON is made once per change, not once per request of a client polling the list.
  const pageJson = new WeakMap<SessionPage, string>();
  app.openapi(listSessions, async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit ?? DEFAULT_PAGE;
    const page = await sessions.list({ limit, cursor: query.cursor, q: query.q });
    let json = pageJson.get(page);
    if (json === undefined) pageJson.set(page, (json = JSON.stringify(page.items)));
    const response = c.body(json, 200, { 'Content-Type': 'application/json', ...pageHeaders('/api/sessions', { ...query, limit }, page.nextCursor) });
    // The same bytes c.json(page.items) would send, typed as such for the route's schema.
    return response as unknown as ReturnType<typeof c.json<SessionSummary[], 200>>;
  });

  app.openapi(createSession, async (c) => c.json({ ...(await sessions.create(c.req.valid('json'))), messages: [] }, 201));

  app.openapi(importSession, async (c) => c.json(await sessions.import(c.req.valid('json')), 201));

  app.openapi(exportSession, async (c) => {
    const id = c.req.valid('param').id;
    return c.json(await sessions.export(id), 200, { 'Content-Disposition': `attachment; filename="goosed-session-${id}.json"` });
  });

  app.openapi(getSession, async (c) => {
    const id = c.req.valid('param').id;
    const session = await sessions.get(id);
    // The bytes of c.json({ ...session, messages }): the session's fields, then its messages, whose
    // JSON is written from the stored text (parsing 10,000 messages to stringify them again was
    // most of the time of a long session's fetch).
    const out = jsonBytesWriter();
    out.write(`${JSON.stringify(session).slice(0, -1)},"messages":`);
    const messages = new MessagesJson(out);
    await store.readStoredMessages(id, {}, messages);
    messages.end();
    out.write('}');
    return jsonBytesResponse(c, out) as unknown as ReturnType<typeof c.json<Session, 200>>;
  });

  app.openapi(updateSession, async (c) => c.json(await sessions.update(c.req.valid('param').id, c.req.valid('json')), 200));

  app.openapi(deleteSession, async (c) => {
    const id = c.req.valid('param').id;
    await sessions.get(id);
    // Its reply is stopped first, and no message starts a new one while it goes.
    await replies.deleteSession(id, async () => {
      await sessions.delete(id);
      // Its own extensions went with its rows; their processes stop here.
      await extensions.closeSession(id);
    });
    return c.body(null, 204);
  });
}
