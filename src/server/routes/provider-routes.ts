import { createRoute, z } from '@hono/zod-openapi';
import { ConfigureProviderRequest, CurrentProvider, ProviderNameParam, ProviderSummary } from '../../api/providers.js';
import { HttpError } from '../http-error.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const listProviders = createRoute({
  method: 'get',
  path: '/api/providers',
  tags: ['providers'],
  summary: 'Every provider goosed supports, which are configured, and which is current',
  responses: { 200: jsonContent(z.array(ProviderSummary), 'The providers'), ...errorResponses() },
});

const configureProvider = createRoute({
  method: 'post',
  path: '/api/providers',
  tags: ['providers'],
  summary: 'Configure a provider and make it current',
  description: 'The key is stored owner-only and never returned; `api_key_hint` shows its last four characters.',
  request: { body: jsonBody(ConfigureProviderRequest) },
  responses: { 200: jsonContent(CurrentProvider, 'The provider now current'), ...errorResponses(400, 413, 415) },
});

const currentProvider = createRoute({
  method: 'get',
  path: '/api/providers/current',
  tags: ['providers'],
  summary: 'The current provider and model (never the key)',
  responses: { 200: jsonContent(CurrentProvider, 'The current provider'), ...errorResponses(404) },
});

const deleteProvider = createRoute({
  method: 'delete',
  path: '/api/providers/{name}',
  tags: ['providers'],
  summary: "Forget a provider's stored settings and key",
  request: { params: ProviderNameParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
});

export function providerRoutes(app: App, { providers }: AppContext): void {
  app.openapi(listProviders, async (c) => c.json(await providers.list(), 200));
  app.openapi(configureProvider, async (c) => c.json(await providers.configure(c.req.valid('json')), 200));
  app.openapi(currentProvider, async (c) => {
    const current = await providers.current();
    if (!current) throw new HttpError(404, 'no_provider', 'No provider is configured yet: POST /api/providers to choose one.');
    return c.json(current, 200);
  });
  app.openapi(deleteProvider, async (c) => {
    await providers.delete(c.req.valid('param').name);
    return c.body(null, 204);
  });
}
