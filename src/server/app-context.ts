import type { OpenAPIHono } from '@hono/zod-openapi';
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { TieredStore } from '../store/tiered-store.js';
import type { SecurityPolicy } from './middleware/security-policy.js';
import type { SessionService } from '../agent/session-service.js';
import type { EventHub } from '../agent/event-hub.js';
import type { ReplyManager } from '../agent/reply-manager.js';
import type { ProviderRegistry } from '../agent/provider-registry.js';
import type { SocketRegistry } from './websocket/socket-registry.js';
import type { ExtensionCatalog } from '../extensions/extension-catalog.js';
import type { ExtensionSettings } from '../extensions/extension-settings.js';

/** What every route handler may use; built once in start-server.ts. */
export interface AppContext {
  version: string;
  store: TieredStore;
  sessions: SessionService;
  hub: EventHub;
  replies: ReplyManager;
  providers: ProviderRegistry;
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
