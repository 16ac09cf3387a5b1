import type { Logger } from 'pino';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { TieredStore } from '../store/tiered-store.js';
import { SessionService } from '../sessions/session-service.js';
import { EventLog } from '../events/event-log.js';
import { StoreBackbone } from '../events/event-backbone.js';
import { ProviderRegistry } from '../providers/provider-settings.js';
import { ReplyManager } from '../agent/reply-manager.js';
import type { ToolCatalog } from '../agent/agent-tools.js';
import { ExtensionManager } from '../extensions/extension-manager.js';
import { childEnvironment } from '../extensions/child-environment.js';
import { defaultModelSettings, type ModelSettings, type WebSocketOptions } from '../config/server-options.js';
import { VERSION } from '../version.js';
import { SocketRegistry } from './websocket/socket-registry.js';
import { DEFAULT_FOLLOWER_QUEUE_BYTES } from './follower-queue-bound.js';
import type { AppContext } from './app-context.js';
import type { SecurityPolicy } from './middleware/security-policy.js';

export interface ContextParts {
  store: TieredStore;
  settings: RuntimeSettings;
  logger: Logger;
  policy: () => SecurityPolicy;
  bodyLimitBytes: number;
  env?: Record<string, string | undefined>;
  /** Bounds and timers of WebSocket clients (tests shorten them). */
  websocket?: Partial<WebSocketOptions>;
  /** Provider retry and timeout behaviour (tests shorten the waits). */
  model?: Partial<ModelSettings>;
  replayCapacity?: number;
  replayBytes?: number;
  followerQueueBytes?: number;
}

/** Wires the services over a store and settings: the one place that knows how they fit. */
export function buildContext(parts: ContextParts): AppContext {
  const events = new EventLog({ backbone: new StoreBackbone(parts.store), replayCapacity: parts.replayCapacity, replayBytes: parts.replayBytes });
  const followerQueueBytes = parts.followerQueueBytes ?? DEFAULT_FOLLOWER_QUEUE_BYTES;
  const providers = new ProviderRegistry(parts.store, parts.env ?? process.env);
  // Read at each start of a shell command or MCP server: a changed setting applies to the next one.
  const extensions = new ExtensionManager(parts.store, parts.logger, (explicit) => childEnvironment(parts.settings.get().env_passthrough, explicit));
  const catalog: ToolCatalog = extensions;
  const replies = new ReplyManager(parts.store, events, providers, catalog, parts.settings, parts.logger, {
    model: { ...defaultModelSettings, ...parts.model },
    flushIntervalMs: 100,
  });
  return {
    store: parts.store,
    settings: parts.settings,
    logger: parts.logger,
    policy: parts.policy,
    bodyLimitBytes: parts.bodyLimitBytes,
    version: VERSION,
    events,
    providers,
    extensions,
    replies,
    followerQueueBytes,
    // One bound for SSE and WebSocket followers; the WebSocket options may still set their own.
    sockets: new SocketRegistry({ maxBufferedBytes: followerQueueBytes, ...parts.websocket }),
    sessions: new SessionService(parts.store, parts.settings, events, replies),
  };
}
