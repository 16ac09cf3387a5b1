import { OpenAPIHono } from '@hono/zod-openapi';
import type { App, AppContext, AppEnv } from './app-context.js';
import { accessLog } from './middleware/access-log.js';
import { originGuard } from './middleware/origin-guard.js';
import { requireKey } from './middleware/require-key.js';
import { requestBody } from './middleware/request-body.js';
import { onlyWithBody } from './middleware/only-with-body.js';
import { closeWhenBodyUnread } from './middleware/close-unread-body.js';
import { renderErrors, renderNotFound } from './error-handler.js';
import { validationHook } from './validation-hook.js';
import { MemoRouter } from './memo-router.js';
import { statusRoutes } from './routes/status-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { configRoutes } from './routes/config-routes.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { providerRoutes } from './routes/provider-routes.js';
import { replyRoutes } from './routes/reply-routes.js';
import { contextRoutes } from './routes/context-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { approvalRoutes } from './routes/approval-routes.js';
import { permissionRoutes } from './routes/permission-routes.js';
import { extensionRoutes } from './routes/extension-routes.js';
import { sessionExtensionRoutes } from './routes/session-extension-routes.js';
import { isSessionStreamPath, streamRoutes } from './routes/stream-routes.js';
import { isWebPagePath, webRoutes } from './routes/web-routes.js';

/** Paths that answer without the key: health, and the pages that hold no data (they ask for the key: isWebPagePath). */
const PUBLIC_PATHS = new Set(['/api/status']);

export function createApp(context: AppContext): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook, router: new MemoRouter() });

  app.use(accessLog({ logger: context.logger }));
  app.use(onlyWithBody(closeWhenBodyUnread()));
  app.use(originGuard({ policy: context.policy, isPage: isWebPagePath }));
  app.use(requireKey({ policy: context.policy, isPublic: (path) => PUBLIC_PATHS.has(path) || isSessionStreamPath(path) || isWebPagePath(path) }));
  app.use(requestBody({ maxBytes: context.bodyLimitBytes }));

  statusRoutes(app, context);
  sessionRoutes(app, context);
  messageRoutes(app, context);
  replyRoutes(app, context);
  contextRoutes(app, context);
  eventRoutes(app, context);
  streamRoutes(app, context);
  approvalRoutes(app, context);
  permissionRoutes(app, context);
  providerRoutes(app, context);
  extensionRoutes(app, context);
  sessionExtensionRoutes(app, context);
  configRoutes(app, context);
  openApiRoutes(app, context.version);
  webRoutes(app);

  app.onError(renderErrors({ logger: context.logger }));
  app.notFound(renderNotFound({ routes: () => app.routes }));
  return app;
}
