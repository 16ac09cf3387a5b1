import type { OpenAPIHono } from '@hono/zod-openapi';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { Store } from '../store/store.js';
import type { SecurityPolicy } from './middleware/security-policy.js';
import type { SessionService } from '../sessions/session-service.js';
import type { EventLog } from '../events/event-log.js';
import type { Approvals } from '../agent/approvals.js';
import type { ReplyLifecycle } from '../agent/reply-lifecycle.js';
import type { ProviderSettings } from '../providers/provider-settings.js';
import type { SocketRegistry } from './websocket/socket-registry.js';
import type { ExtensionCatalog } from '../extensions/extension-catalog.js';
import type { ExtensionSettings } from '../extensions/extension-settings.js';

/** What every route handler may use; built once in start-server.ts. */
export interface AppContext {
  version: string;
  store: Store;
  sessions: SessionService;
  events: EventLog;
  replies: ReplyLifecycle;
  approvals: Approvals;
  providers: ProviderSettings;
  /** The configured extensions, as the routes change them. */
  extensions: ExtensionSettings;
  /** The running extensions' tools, as replies use them. */
  catalog: ExtensionCatalog;
  settings: RuntimeSettings;
  logger: Logger;
  policy: () => SecurityPolicy;
  /** The WebSocket clients (GET /api/sessions/{id}/stream) and the ws server that upgrades them. */
  sockets: SocketRegistry;
  bodyLimitBytes: number;
  /** Bytes an SSE follower may leave unread before it is cut off (WebSocket clients: sockets.options). */
  followerQueueBytes: number;
}

export type AppEnv = { Bindings: HttpBindings; Variables: { requestId: string } };
export type App = OpenAPIHono<AppEnv>;
