import type { Logger } from 'pino';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { TieredStore } from '../store/tiered-store.js';
import { SessionService } from '../agent/session-service.js';
import { EventHub } from '../agent/event-hub.js';
import { ProviderRegistry } from '../agent/provider-registry.js';
import { ReplyManager } from '../agent/reply-manager.js';
import { ExtensionCatalog } from '../extensions/extension-catalog.js';
import { ExtensionRegistry } from '../extensions/extension-registry.js';
import { ExtensionSettings } from '../extensions/extension-settings.js';
import { childEnvironment } from '../extensions/child-environment.js';
import type { ModelSettings } from '../agent/agent-loop.js';
import { VERSION } from '../version.js';
import { SocketRegistry, type WebSocketOptions } from './websocket/socket-registry.js';
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

export const defaultModelSettings: ModelSettings = {
  retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 },
  idleTimeoutMs: 120_000,
  maxOutputTokens: 8192,
};

/** Wires the services over a store and settings: the one place that knows how they fit. */
export function buildContext(parts: ContextParts): AppContext {
  const hub = new EventHub(parts.store, { replayCapacity: parts.replayCapacity, replayBytes: parts.replayBytes });
  const followerQueueBytes = parts.followerQueueBytes ?? DEFAULT_FOLLOWER_QUEUE_BYTES;
  const providers = new ProviderRegistry(parts.store, parts.env ?? process.env);
  // Read at each start of a shell command or MCP server: a changed setting applies to the next one.
  const registry = new ExtensionRegistry({
    rows: parts.store.extensions,
    environment: (explicit) => childEnvironment(parts.settings.get().env_passthrough, explicit),
  });
  const catalog = new ExtensionCatalog({ registry, logger: parts.logger });
  const replies = new ReplyManager(parts.store, hub, providers, catalog, parts.settings, parts.logger, {
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
    hub,
    providers,
    extensions: new ExtensionSettings({ store: parts.store, registry, catalog }),
    catalog,
    replies,
    followerQueueBytes,
    // One bound for SSE and WebSocket followers; the WebSocket options may still set their own.
    sockets: new SocketRegistry({ maxBufferedBytes: followerQueueBytes, ...parts.websocket }),
    sessions: new SessionService(parts.store, parts.settings, hub, replies),
  };
}
