import { createRoute, z } from '@hono/zod-openapi';
import type { App, AppContext } from '../app-context.js';
import { jsonContent } from './route-helpers.js';

export const StatusResponse = z.object({ status: z.literal('ok'), version: z.string() }).openapi('Status');

const getStatus = createRoute({
  method: 'get',
  path: '/api/status',
  tags: ['status'],
  summary: 'Health check (needs no key)',
  responses: { 200: jsonContent(StatusResponse, 'The server is up') },
});

export function statusRoutes(app: App, context: AppContext): void {
  // The answer never changes: build it once.
  const body = { status: 'ok' as const, version: context.version };
  app.openapi(getStatus, (c) => c.json(body, 200));
}
