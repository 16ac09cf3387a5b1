import type { Logger } from 'pino';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import { defaultModelSettings, type ModelSettings, type WebSocketOptions } from '../config/server-options.js';
import type { Store } from '../store/store.js';
import { isSharedStore } from '../store/shared-store.js';
import { SessionService } from '../sessions/session-service.js';
import { EventLog } from '../events/event-log.js';
import { StoreBackbone } from '../events/event-backbone.js';
import { ProviderSettings } from '../providers/provider-settings.js';
import { ModelWindows } from '../providers/model-windows.js';
import { ContextManager } from '../agent/context/context-manager.js';
import { Approvals } from '../agent/approvals.js';
import { ReplyAdmission } from '../agent/reply-admission.js';
import { ReplyLifecycle } from '../agent/reply-lifecycle.js';
import { LeaseReplySlots } from '../agent/lease-reply-slots.js';
import { InstanceControl } from '../agent/instance-control.js';
import { ExtensionCatalog } from '../extensions/extension-catalog.js';
import { ExtensionRegistry } from '../extensions/extension-registry.js';
import { ExtensionSettings } from '../extensions/extension-settings.js';
import { childEnvironment } from '../extensions/child-environment.js';
import { VERSION } from '../version.js';
import { SocketRegistry } from './websocket/socket-registry.js';
import { DEFAULT_FOLLOWER_QUEUE_BYTES } from './follower-queue-bound.js';
import type { AppContext } from './app-context.js';
import type { TextRelayPacerOptions } from '../agent/text-relay-pacer.js';
import type { SecurityPolicy } from './middleware/security-policy.js';

export interface ContextParts {
  store: Store;
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
  sessionExtensionIdleMs?: number;
  replyLeaseMs?: number;
  /** Who this instance is among those on one database (the owner of its reply leases). */
  instanceId?: string;
  /** How streamed text is paced under load (tests give a fixed load). */
  textRelay?: TextRelayPacerOptions;
}

/** Wires the services over a store and settings: the one place that knows how they fit. */
export function buildContext(parts: ContextParts): AppContext {
  const { store, settings, logger } = parts;
  const events = new EventLog({
    backbone: new StoreBackbone(store),
    // On a database several instances share, events go through it, so followers on any instance get them.
    shared: isSharedStore(store) ? store : undefined,
    onError: (error) => logger.warn({ err: error }, 'reading events from the database failed'),
    replayCapacity: parts.replayCapacity,
    replayBytes: parts.replayBytes,
  });
  const followerQueueBytes = parts.followerQueueBytes ?? DEFAULT_FOLLOWER_QUEUE_BYTES;
  const providers = new ProviderSettings({ store, env: parts.env ?? process.env });
  const registry = new ExtensionRegistry({
    rows: store.extensions,
    // Read at each start of a shell command or MCP server: a changed setting applies to the next one.
    environment: (explicit) => childEnvironment(settings.get().env_passthrough, explicit),
  });
  const catalog = new ExtensionCatalog({ registry, logger, sessionIdleMs: parts.sessionExtensionIdleMs });
  const shared = isSharedStore(store) ? store : null;
  const onSharedError = (error: unknown) => logger.warn({ err: error }, 'coordinating with the other instances failed');
  // Several instances on one database: a lease per running reply, and a channel to whichever instance runs it.
  const timings = parts.replyLeaseMs ? { ttlMs: parts.replyLeaseMs, renewMs: Math.max(1, Math.floor(parts.replyLeaseMs / 3)) } : undefined;
  const slots = shared ? new LeaseReplySlots({ store: shared, owner: parts.instanceId, timings, onError: onSharedError }) : undefined;
  const control = shared ? new InstanceControl(shared.notifications, onSharedError) : undefined;
  const approvals = new Approvals({ store, events, control });
  const model = { ...defaultModelSettings, ...parts.model };
  const context = new ContextManager({ store, windows: new ModelWindows(store), settings, model });
  const replies = new ReplyLifecycle({
    store,
    events,
    admission: new ReplyAdmission({ store, slots }),
    control,
    approvals,
    providers,
    catalog,
    settings,
    logger,
    model,
    context,
    flushIntervalMs: 100,
    textRelay: parts.textRelay,
  });
  if (slots) slots.onExpired = (sessionId) => replies.recoverSession(sessionId);
  // Deleted on another instance (or on this one, which has done all this already): what this
  // instance runs or holds for the session stops, and its followers here are told.
  control?.on((message) => {
    if (message.kind !== 'deleted') return;
    const sessionId = message.session_id;
    replies
      .stopDeleted(sessionId)
      .then(() => {
        events.drop(sessionId);
        return catalog.closeSession(sessionId);
      })
      .catch(onSharedError);
  });
  return {
    store,
    settings,
    logger,
    policy: parts.policy,
    bodyLimitBytes: parts.bodyLimitBytes,
    version: VERSION,
    events,
    providers,
    extensions: new ExtensionSettings({ store, registry, catalog }),
    catalog,
    approvals,
    replies,
    followerQueueBytes,
    // One bound for SSE and WebSocket followers; the WebSocket options may still set their own.
    sockets: new SocketRegistry({ maxBufferedBytes: followerQueueBytes, ...parts.websocket }),
    sessions: new SessionService({ store, settings, events, providers }),
  };
}
