import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Settings } from '../api/settings.js';
import type { ServerOptions } from '../config/server-options.js';
import { RuntimeSettings } from '../config/runtime-settings.js';
import type { Store } from '../store/store.js';
import { openStore } from './open-store.js';
import { createApp } from './app.js';
import { createServerWithJsonErrors } from './malformed-requests.js';
import { buildContext } from './build-context.js';
import type { AppContext } from './app-context.js';
import { createLogger } from '../config/logger.js';
import { SecurityPolicy, isLoopbackHost } from './middleware/security-policy.js';
import { lockDataDirectory, type DataDirectoryLock } from './data-directory-lock.js';
import { watchIdle } from './idle-watch.js';
import { instanceId } from './instance-id.js';
import { watchSharedSettings } from './shared-settings.js';
import { isSharedStore } from '../store/shared-store.js';
import type { TextRelayPacerOptions } from '../agent/text-relay-pacer.js';

export interface RunningServer {
  url: string;
  port: number;
  /** The key in force: configured, or generated because the address is not loopback. */
  secretKey: string | null;
  keyWasGenerated: boolean;
  context: AppContext;
  /** Resolves once the server has been idle for `idleExitMs`; never without it. */
  idle: Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** What startServer may be given besides its options. */
export interface ServerSeams {
  /** Wraps the store goosed opens, e.g. to count or trace its calls; goosed uses what it returns. */
  wrapStore?: (store: Store) => Store;
  /** How streamed text is paced under load: tests give a fixed load (see TextRelayPacer). */
  textRelay?: TextRelayPacerOptions;
  /** The SQLite write thread's script (tests running from sources give one built once per run). */
  sqliteWriterScript?: URL;
}

export async function startServer(options: ServerOptions, seams: ServerSeams = {}): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // Before the database is opened: a goosed that finds the directory in use never touches it.
  const lock = await lockDataDirectory(options.dataDir);
  try {
    return await serve(options, seams, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function serve(options: ServerOptions, seams: ServerSeams, lock: DataDirectoryLock): Promise<RunningServer> {
  const logger = createLogger(options.logLevel);
  // A server reachable from other machines never runs without a key (DESIGN section 7).
  const keyWasGenerated = !options.secretKey && !isLoopbackHost(options.host);
  const secretKey = options.secretKey ?? (keyWasGenerated ? randomBytes(32).toString('base64url') : null);

  const opened = await openStore(options, logger, { sqliteWriterScript: seams.sqliteWriterScript });
  const store = seams.wrapStore?.(opened.store) ?? opened.store;

  const settings = new RuntimeSettings(options.settings, options.configFile);
  const buildPolicy = (current: Settings) =>
    new SecurityPolicy({ host: options.host, secretKey, allowedHosts: current.allowed_hosts, allowedOrigins: current.allowed_origins });
  let policy = buildPolicy(settings.get());
  settings.onChange((current) => (policy = buildPolicy(current)));

  const context = buildContext({
    store,
    settings,
    logger,
    policy: () => policy,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    env: options.env,
    model: options.model,
    replayCapacity: options.replayCapacity,
    replayBytes: options.replayBytes,
    followerQueueBytes: options.followerQueueBytes,
    websocket: options.websocket,
    sessionExtensionIdleMs: options.sessionExtensionIdleMs,
    replyLeaseMs: options.replyLeaseMs,
    instanceId: options.databaseUrl ? instanceId(options.dataDir) : undefined,
    textRelay: seams.textRelay,
  });
  let stopWatchingSettings: (() => Promise<void>) | null = null;
  try {
    if (isSharedStore(store)) stopWatchingSettings = await watchSharedSettings({ store, settings, extensions: context.extensions, logger });
    await context.replies.recover();
  } catch (error) {
    // A database goosed connects to (PostgreSQL) would otherwise keep its connections, and the process, alive.
    context.events.close();
    await store.close();
    throw error;
  }
  const app = createApp(context);
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: options.host,
    websocket: { server: context.sockets.server },
    createServer: createServerWithJsonErrors(app.fetch, options.host),
  }) as Server;
  let port: number;
  let url: string;
  try {
    await listen(server, options.port, options.host);
    port = (server.address() as AddressInfo).port;
    url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    // Written once listening, so it holds the real port (--port 0).
    lock.publish({ pid: process.pid, url, host: options.host, port, version: context.version, started_at: new Date().toISOString(), secret_key: secretKey });
  } catch (error) {
    if (server.listening) server.close();
    await store.close();
    throw error;
  }
  logger.info({ host: options.host, port, data_dir: options.dataDir, database: opened.where, auth: secretKey !== null }, 'started');
  let stopWatchingIdle = () => {};
  const idle = new Promise<void>((resolve) => {
    if (!options.idleExitMs) return;
    const idleMs = options.idleExitMs;
    const busy = () => context.sockets.size > 0 || context.replies.hasWorkingReplies();
    stopWatchingIdle = watchIdle({ server, busy, idleMs, onIdle: () => resolve() });
  });

  const stopServing = async () => {
    stopWatchingIdle();
    const stopped = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Streams (SSE, WebSocket) would hold close() open forever.
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
    await stopWatchingSettings?.().catch(() => {});
    await context.replies.shutdown(options.shutdownGraceMs ?? 3000);
    // After the replies, so that WebSocket followers saw how they ended; upgraded sockets are not the HTTP server's to close.
    await context.sockets.close();
    // After the replies: their tool calls have ended; now the MCP servers and shells stop too.
    await context.catalog.closeAll();
    server.closeAllConnections();
    await stopped;
    context.events.close();
    await store.close();
    logger.info('stopped');
    logger.flush();
  };
  let closing: Promise<void> | null = null;
  // The directory is released even when a step of the shutdown failed.
  const close = () => (closing ??= stopServing().finally(() => lock.release()));

  return { url, port, secretKey, keyWasGenerated, context, idle, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new Error(`cannot listen on ${host}:${port}: ${reason}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
