import type { Settings } from '../api/settings.js';
import type { LogLevel } from './config-file.js';

/** How goosed calls a provider: retries of transient failures, the idle timeout, the output cap. */
export interface ModelSettings {
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** A provider that sends nothing for this long (but keeps the connection open) is given up on. */
  idleTimeoutMs: number;
  maxOutputTokens: number;
}

export const defaultModelSettings: ModelSettings = {
  retry: { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000 },
  idleTimeoutMs: 120_000,
  maxOutputTokens: 8192,
};

/** Bounds and timers of WebSocket clients (defaults: server/websocket/socket-registry.ts). */
export interface WebSocketOptions {
  /** A text frame larger than this gets a `frame_too_large` error event (the connection stays). */
  maxFrameBytes: number;
  /** A frame nested deeper than this gets a `json_too_deep` error event (the connection stays). */
  maxJsonDepth: number;
  /** Bytes queued for a client that reads too slowly; past it the client is cut off with 4008. */
  maxBufferedBytes: number;
  /** How long a client that must send the key as its first frame has to do so. */
  authTimeoutMs: number;
  /** After a close frame, how long the peer has to answer before the socket is destroyed. */
  closeGraceMs: number;
  /** Every open socket is pinged this often; one that missed the previous pong is dropped. */
  heartbeatMs: number;
}

/** Everything startServer needs: from flags, environment and config file (resolve-options.ts), or a test. */
export interface ServerOptions {
  host: string;
  port: number;
  logLevel: LogLevel;
  dataDir: string;
  /** `postgres://…`: the PostgreSQL store, shared by every instance given the same; null: SQLite in dataDir. */
  databaseUrl?: string | null;
  /** Where PATCH /api/config saves settings; null keeps changes in memory. */
  configFile: string | null;
  secretKey: string | null;
  settings: Partial<Settings>;
  bodyLimitBytes?: number;
  /** Provider keys and GOOSE_PROVIDER / GOOSE_MODEL are read from here (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Provider retry and timeout behaviour (tests shorten the waits). */
  model?: Partial<ModelSettings>;
  /** Events kept in memory per session for replay (default 2048). */
  replayCapacity?: number;
  /** Bytes of events kept in memory per session for replay (default 1 MiB). */
  replayBytes?: number;
  /** Bytes an SSE or WebSocket follower may leave unread before it is cut off (default 4 MiB). */
  followerQueueBytes?: number;
  /** WebSocket bounds and timers (queue per client, frame size, heartbeat). */
  websocket?: Partial<WebSocketOptions>;
  /** How long running replies get to finish at shutdown before they are stopped. */
  shutdownGraceMs?: number;
  /** A session's own extensions unused for this long are stopped (default 10 minutes; tests shorten it). */
  sessionExtensionIdleMs?: number;
  /** After this long without work, `idle` resolves (the CLI then stops); null or absent: never. */
  idleExitMs?: number | null;
  /** On a shared database: how long a reply's lease lasts unless renewed (default 15 s; renewed every third of it). */
  replyLeaseMs?: number;
}
