import { createRoute, z } from '@hono/zod-openapi';
import { AddExtensionRequest, Extension, ExtensionIdParam, UpdateExtensionRequest } from '../../api/extensions.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const listExtensions = createRoute({
  method: 'get',
  path: '/api/extensions',
  tags: ['extensions'],
  summary: 'The configured extensions, with state and tools',
  description:
    'Extensions start on first use, so `tools` holds what each listed at its last start (built-in ones: always). Reading the list starts nothing: `POST /api/extensions/start` does.',
  responses: { 200: jsonContent(z.array(Extension), 'The extensions, oldest first') },
});

const startExtensions = createRoute({
  method: 'post',
  path: '/api/extensions/start',
  tags: ['extensions'],
  summary: 'Start the enabled extensions that are not running, and list them all',
  description:
    'Waits for them to start (or fail), so that every tool is listed; a failed one is retried at once. Answers as `GET /api/extensions` does. A POST: starting processes is not something a link or an image on another site may do.',
  responses: { 200: jsonContent(z.array(Extension), 'The extensions, oldest first, after starting') },
});

const addExtension = createRoute({
  method: 'post',
  path: '/api/extensions',
  tags: ['extensions'],
  summary: 'Add an extension',
  description:
    'e.g. `{"name":"developer","config":{"allow_shell":true}}`, `{"name":"files","config":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","/tmp"]}}` or `{"name":"remote","config":{"url":"https://example.com/mcp","headers":{"Authorization":"Bearer …"}}}`. An enabled extension starts in the background; a name already in use is 409.',
  request: { body: jsonBody(AddExtensionRequest) },
  responses: { 201: jsonContent(Extension, 'Added'), ...errorResponses(400, 409, 413, 415) },
});

const getExtension = createRoute({
  method: 'get',
  path: '/api/extensions/{id}',
  tags: ['extensions'],
  summary: 'One extension (by id or name)',
  request: { params: ExtensionIdParam },
  responses: { 200: jsonContent(Extension, 'The extension'), ...errorResponses(404) },
});

const updateExtension = createRoute({
  method: 'patch',
  path: '/api/extensions/{id}',
  tags: ['extensions'],
  summary: "Change an extension's config, or enable / disable it",
  description: 'A new config replaces the old one and restarts the extension; disabling stops it (running calls end with an error result).',
  request: { params: ExtensionIdParam, body: jsonBody(UpdateExtensionRequest) },
  responses: { 200: jsonContent(Extension, 'The extension after the change'), ...errorResponses(400, 404, 413, 415) },
});

const toggleExtension = createRoute({
  method: 'patch',
  path: '/api/extensions/{id}/toggle',
  tags: ['extensions'],
  summary: 'Enable ↔ disable',
  description: 'Disabling stops the extension; enabling starts it again in the background (also the way to restart a failed one at once).',
  request: { params: ExtensionIdParam },
  responses: { 200: jsonContent(Extension, 'The extension after the toggle'), ...errorResponses(404) },
});

const deleteExtension = createRoute({
  method: 'delete',
  path: '/api/extensions/{id}',
  tags: ['extensions'],
  summary: 'Remove an extension',
  description: 'Stops it and forgets the always_allow / always_deny decisions about its tools.',
  request: { params: ExtensionIdParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses(404) },
});

export function extensionRoutes(app: App, { extensions }: AppContext): void {
  app.openapi(listExtensions, async (c) => c.json(await extensions.list({ start: false }), 200));
  app.openapi(startExtensions, async (c) => c.json(await extensions.list({ start: true }), 200));
  app.openapi(addExtension, async (c) => c.json(await extensions.add(c.req.valid('json')), 201));
  app.openapi(getExtension, async (c) => c.json(await extensions.get(c.req.valid('param').id), 200));
  app.openapi(updateExtension, async (c) => c.json(await extensions.update(c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(toggleExtension, async (c) => c.json(await extensions.toggle(c.req.valid('param').id), 200));
  app.openapi(deleteExtension, async (c) => {
    await extensions.remove(c.req.valid('param').id);
    return c.body(null, 204);
  });
}
