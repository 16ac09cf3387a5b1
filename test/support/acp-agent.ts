// `goosed acp` as an editor runs it: a child process (from the bundle under test) driven over its
// real stdin/stdout by the ACP SDK's own client side. Updates and permission requests are collected
// for the test to wait on; the goosed it starts in the background is found through server.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import {
  client,
  ndJsonStream,
  PROTOCOL_VERSION,
  type ClientConnection,
  type ClientContext,
  type InitializeResponse,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
  type SessionUpdate,
} from '@agentclientprotocol/sdk';
import { isProcessAlive, readRuntimeFile, type RuntimeInfo } from '../../src/config/runtime-file.js';
import { apiClient, removeDirectory, temporaryDirectory, useScriptedProvider, waitFor, type ApiClient } from './goosed.js';
import { buildGoosedBundle, cleanEnvironment, type GoosedBundle } from './goosed-bundle.js';
import { addExtension, processIsRunning } from './extensions.js';
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm.js';

export interface PermissionAsk {
  params: RequestPermissionRequest;
  /** Aborted when the agent withdrew the request ($/cancel_request). */
  signal: AbortSignal;
  answer(response: RequestPermissionResponse): void;
}

export interface AcpAgentProcess {
  child: ChildProcess;
  agent: ClientContext;
  connection: ClientConnection;
  initialized: InitializeResponse;
  /** Every `session/update`, in the order received. */
  updates: SessionNotification[];
  updatesOf(sessionId: string): SessionUpdate[];
  waitForUpdate(accept: (update: SessionNotification) => boolean): Promise<SessionNotification>;
  /** The next `session/request_permission` (in the order they came). */
  nextPermission(): Promise<PermissionAsk>;
  /** Everything the agent wrote to stdout, raw. */
  stdout(): string;
  stderr(): string;
  /** Writes to the agent's stdin beside the SDK (malformed lines). */
  writeRaw(text: string): void;
  /** Closes stdin, as an editor does when it quits, and waits for the exit code. */
  close(): Promise<number | null>;
}

export interface AcpAgentOptions {
  dataDir: string;
  configFile: string;
  /** Seconds an idle background server waits before stopping (default 120: a safety net; tests stop it themselves). */
  idleExit?: number;
  env?: NodeJS.ProcessEnv;
}

export async function startAcpAgent(bundle: GoosedBundle, options: AcpAgentOptions): Promise<AcpAgentProcess> {
  const args = [bundle.file, 'acp', '--data-dir', options.dataDir, '--config', options.configFile, '--idle-exit', String(options.idleExit ?? 120)];
  const child = spawn(process.execPath, args, { env: cleanEnvironment({ GOOSED_LOG_LEVEL: 'warn', ...options.env }), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const tap = new PassThrough();
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    tap.write(chunk);
  });
  child.stdout!.on('end', () => tap.end());

  const updates: SessionNotification[] = [];
  const updateWaiters = new Set<() => void>();
  const asks: PermissionAsk[] = [];
  const askWaiters: ((ask: PermissionAsk) => void)[] = [];
  const app = client({ name: 'goosed-tests' })
    .onNotification('session/update', ({ params }) => {
      updates.push(params);
      for (const wake of [...updateWaiters]) wake();
    })
    .onRequest(
      'session/request_permission',
      ({ params, signal }) =>
        new Promise<RequestPermissionResponse>((answer) => {
          const ask = { params, signal, answer };
          const waiter = askWaiters.shift();
          if (waiter) waiter(ask);
          else asks.push(ask);
        }),
    );
  const connection = app.connect(ndJsonStream(Writable.toWeb(child.stdin!), Readable.toWeb(tap) as ReadableStream<Uint8Array>));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const initialized = await connection.agent.request('initialize', { protocolVersion: PROTOCOL_VERSION, clientCapabilities: {}, clientInfo: { name: 'goosed-tests', version: '1' } });

  return {
    child,
    agent: connection.agent,
    connection,
    initialized,
    updates,
    updatesOf: (sessionId) => updates.filter((notification) => notification.sessionId === sessionId).map((notification) => notification.update),
    waitForUpdate: (accept) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          updateWaiters.delete(check);
          reject(new Error(`no such session/update within 15 s; got ${JSON.stringify(updates.map((n) => n.update.sessionUpdate))}`));
        }, 15_000);
        const check = () => {
          const found = updates.find(accept);
          if (!found) return;
          clearTimeout(timer);
          updateWaiters.delete(check);
          resolve(found);
        };
        updateWaiters.add(check);
        check();
      }),
    nextPermission: () => {
      const ask = asks.shift();
      return ask ? Promise.resolve(ask) : new Promise((resolve) => askWaiters.push(resolve));
    },
    stdout: () => out,
    stderr: () => err,
    writeRaw: (text) => child.stdin!.write(text),
    close: async () => {
      connection.close();
      child.stdin!.end();
      return exited;
    },
  };
}

/** The goosed serving the data directory (the one `goosed acp` started), once it has published its address. */
export async function backgroundServer(dataDir: string): Promise<RuntimeInfo & { api: ApiClient }> {
  const info = await waitFor(() => readRuntimeFile(dataDir), (found) => found !== null && isProcessAlive(found.pid), 20_000);
  return { ...info!, api: apiClient(info!.url, info!.secret_key) };
}

/** Stops the data directory's goosed and waits until it is gone: no test leaves one running. */
export async function stopBackgroundServer(dataDir: string): Promise<void> {
  // The one serving the directory, and any other goosed started for it: the loser of a simultaneous
  // start is still exiting for a moment, and writes in the directory as it goes (removing the
  // directory under it failed with ENOTEMPTY).
  const pids = new Set(goosedProcessesFor(dataDir));
  const info = readRuntimeFile(dataDir);
  if (info && processIsRunning(info.pid)) pids.add(info.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
  await waitFor(() => [...pids].every((pid) => !processIsRunning(pid)), Boolean, 20_000);
}

/** Processes whose command line gives `--data-dir <dataDir>` (Linux /proc; none found elsewhere). */
function goosedProcessesFor(dataDir: string): number[] {
  const wanted = `\0--data-dir\0${dataDir}\0`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/cmdline`, 'utf8')}`.includes(wanted)) pids.push(Number(entry));
    } catch {
      // Ended while listed.
    }
  }
  return pids;
}

export function acpDirectories(root: string): { dataDir: string; configFile: string } {
  return { dataDir: join(root, 'data'), configFile: join(root, 'config.yaml') };
}

export interface AcpSetup {
  bundle: GoosedBundle;
  llm: ScriptedLlm;
  root: string;
  dataDir: string;
  /** The project directory sessions are made in (`cwd`). */
  workDir: string;
  acp: AcpAgentProcess;
  /** The background goosed's API. */
  api: ApiClient;
  close(): Promise<void>;
}

/**
 * `goosed acp` on a fresh data directory, the goosed it starts in the background set up with the
 * scripted provider and the developer extension (`developer` its config). Everything it started
 * is stopped by close(), or at once when the setup itself fails.
 */
export async function startAcpSetup(prefix: string, developer: Record<string, unknown>): Promise<AcpSetup> {
  const [bundle, llm] = await Promise.all([buildGoosedBundle(), startScriptedLlm()]);
  const root = temporaryDirectory(prefix);
  const workDir = join(root, 'project');
  mkdirSync(workDir);
  const directories = acpDirectories(root);
  let acp: AcpAgentProcess | undefined;
  const close = async () => {
    await acp?.close();
    await stopBackgroundServer(directories.dataDir);
    await llm.close();
    bundle.remove();
    removeDirectory(root);
  };
  try {
    acp = await startAcpAgent(bundle, directories);
    const { api } = await backgroundServer(directories.dataDir);
    await useScriptedProvider(api, llm.url);
    await addExtension(api, { name: 'developer', config: developer });
    return { bundle, llm, root, dataDir: directories.dataDir, workDir, acp, api, close };
  } catch (error) {
    await close();
    throw error;
  }
}
