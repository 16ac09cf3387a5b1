import { createRoute, z } from '@hono/zod-openapi';
import { NotFound } from '../../api/domain-errors.js';
import { Permission, PermissionListQuery, PermissionToolParam } from '../../api/permissions.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonContent } from './route-helpers.js';

const listPermissions = createRoute({
  method: 'get',
  path: '/api/permissions',
  tags: ['approvals'],
  summary: 'The remembered always_allow / always_deny decisions',
  description: 'One per tool, set by answering an approval with `always_allow` or `always_deny`; they hold server-wide, in every session and execution mode.',
  request: { query: PermissionListQuery },
  responses: { 200: jsonContent(z.array(Permission), 'The decisions, by tool name'), ...errorResponses(400) },
});

const forgetPermission = createRoute({
  method: 'delete',
  path: '/api/permissions/{tool}',
  tags: ['approvals'],
  summary: 'Forget the remembered decision about a tool',
  description: 'The next call of the tool follows the execution mode again (it asks, in `approve`). 404 when nothing is remembered for it.',
  request: { params: PermissionToolParam },
  responses: { 204: { description: 'Forgotten' }, ...errorResponses(400, 404) },
});

export function permissionRoutes(app: App, { store }: AppContext): void {
  app.openapi(listPermissions, async (c) => {
    const { decision } = c.req.valid('query');
    const permissions = await store.permissions.list();
    return c.json(decision ? permissions.filter((permission) => permission.decision === decision) : permissions, 200);
  });

  app.openapi(forgetPermission, async (c) => {
    const { tool } = c.req.valid('param');
    if (!(await store.permissions.clear(tool))) throw new NotFound(`Nothing is remembered for the tool ${JSON.stringify(tool)}.`);
    return c.body(null, 204);
  });
}
