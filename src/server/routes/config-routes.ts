import { createRoute } from '@hono/zod-openapi';
import { Settings, SettingsPatch } from '../../api/settings.js';
import { existingDirectory } from '../../sessions/working-directory.js';
import type { App, AppContext } from '../app-context.js';
import { errorResponses, jsonBody, jsonContent } from './route-helpers.js';

const getConfig = createRoute({
  method: 'get',
  path: '/api/config',
  tags: ['config'],
  summary: 'All settings',
  responses: { 200: jsonContent(Settings, 'The current settings'), ...errorResponses() },
});

const patchConfig = createRoute({
  method: 'patch',
  path: '/api/config',
  tags: ['config'],
  summary: 'Change some settings (saved to the config file)',
  request: { body: jsonBody(SettingsPatch) },
  responses: { 200: jsonContent(Settings, 'The settings after the change'), ...errorResponses(400, 413, 415) },
});

export function configRoutes(app: App, { settings }: AppContext): void {
  app.openapi(getConfig, (c) => c.json(settings.get(), 200));
  app.openapi(patchConfig, (c) => {
    const patch = c.req.valid('json');
    // Kept as written (`~` stays `~`), but only when it names a directory now.
    if (patch.default_working_directory !== undefined) existingDirectory(patch.default_working_directory, 'default_working_directory');
    return c.json(settings.update(patch), 200);
  });
}
