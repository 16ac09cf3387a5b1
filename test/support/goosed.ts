import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../src/api/settings.js';
import { processGoosedBundle, sqliteWriterScript } from './goosed-bundle.js';
import type { ServerOptions } from '../../src/config/server-options.js';
import { startServer, type RunningServer, type ServerSeams } from '../../src/server/start-server.js';

export function temporaryDirectory(prefix = 'goosed-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  dataDir: string;
  configFile: string;
  server: RunningServer;
  /** fetch against the server, with the key when one is set, JSON body helpers. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  secretKey?: string;
  settings?: Partial<Settings>;
  dataDir?: string;
  configFile?: string;
  host?: string;
  /** Default: any free port. A restart test gives the port of the server it replaces. */
  port?: number;
  bodyLimitBytes?: number;
  env?: Record<string, string | undefined>;
  model?: ServerOptions['model'];
  websocket?: ServerOptions['websocket'];
  replayCapacity?: number;
  replayBytes?: number;
  followerQueueBytes?: number;
  /** How long close() lets running replies finish (goosed's default: 3 s). */
  shutdownGraceMs?: number;
  sessionExtensionIdleMs?: ServerOptions['sessionExtensionIdleMs'];
  idleExitMs?: ServerOptions['idleExitMs'];
  wrapStore?: ServerSeams['wrapStore'];
  textRelay?: ServerSeams['textRelay'];
  /** A PostgreSQL database; default: with GOOSED_TEST_STORE=postgres the data directory's (see postgres.ts), else none (SQLite). */
  databaseUrl?: string | null;
}

/** The database a test server on `dataDir` uses by default: the data directory's on PostgreSQL runs, else SQLite's file. */
async function defaultDatabaseUrl(dataDir: string): Promise<string | null> {
  if (process.env.GOOSED_TEST_STORE !== 'postgres') return null;
  // Loaded only on PostgreSQL runs: it needs the run's server (vitest's globalSetup), which scripts and benchmarks have not.
  const { databaseForDataDir } = await import('./postgres.js');
  return databaseForDataDir(dataDir);
}

/** A real goosed on a loopback port, in this process, with its own data directory. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? temporaryDirectory();
  const configFile = options.configFile ?? join(dataDir, 'config.yaml');
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    logLevel: 'silent',
    dataDir,
    databaseUrl: options.databaseUrl !== undefined ? options.databaseUrl : await defaultDatabaseUrl(dataDir),
    configFile,
    secretKey: options.secretKey ?? null,
    settings: options.settings ?? {},
    bodyLimitBytes: options.bodyLimitBytes,
    // Tests never see the machine's provider keys; retries wait milliseconds, not seconds.
    env: options.env ?? {},
    replayCapacity: options.replayCapacity,
    replayBytes: options.replayBytes,
    followerQueueBytes: options.followerQueueBytes,
    model: { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 }, idleTimeoutMs: 3000, ...options.model },
    websocket: options.websocket,
    shutdownGraceMs: options.shutdownGraceMs,
    sessionExtensionIdleMs: options.sessionExtensionIdleMs,
    idleExitMs: options.idleExitMs,
  }, { wrapStore: options.wrapStore, textRelay: options.textRelay, sqliteWriterScript: sqliteWriterScript() });
  const url = server.url.replace('0.0.0.0', '127.0.0.1');
  return {
    url,
    dataDir,
    configFile,
    server,
    request: apiClient(url, server.secretKey).request,
    close: () => server.close(),
  };
}

/** What the API helpers below need: a goosed in this process (TestServer) or a goosed process (apiClient). */
export type ApiClient = Pick<TestServer, 'request'>;

/** fetch against goosed at `url`, with the key when one is given, JSON body helpers. */
export function apiClient(url: string, secretKey: string | null = null): ApiClient {
  return {
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (secretKey && !headers.has('authorization') && !headers.has('x-secret-key')) headers.set('authorization', `Bearer ${secretKey}`);
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      return fetch(url + path, { ...init, headers, body });
    },
  };
}

export function removeDirectory(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

export interface GoosedProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs the real `goosed` command (built from src/ for this test process) as a child process. */
export function runGoosed(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [processGoosedBundle(), ...args], {
    env: { ...process.env, GOOSED_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Starts `goosed` and waits for its `listening on` line. */
export async function spawnGoosed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<GoosedProcess> {
  const run = runGoosed(args, env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`goosed did not start: ${run.stderr()}`)), 20_000);
    const check = () => {
      const match = /goosed listening on (http:\/\/\S+)/.exec(run.stdout());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    run.child.stdout!.on('data', check);
    run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`goosed exited with ${code}: ${run.stderr()}`));
    });
  });
  return { ...run, url };
}

/** Points goosed at the scripted LLM server with one of the real provider wire formats. */
export async function useScriptedProvider(goosed: ApiClient, llmUrl: string, name: 'openai' | 'anthropic' | 'ollama' | 'google' | 'openai_compatible' = 'openai'): Promise<void> {
  const baseUrls = { openai: `${llmUrl}/v1`, openai_compatible: `${llmUrl}/v1`, anthropic: `${llmUrl}/v1`, ollama: `${llmUrl}/api`, google: `${llmUrl}/v1beta` };
  const response = await goosed.request('/api/providers', {
    method: 'POST',
    json: { name, api_key: 'sk-test-key-for-scripted-llm-0001', model: 'scripted-model', base_url: baseUrls[name] },
  });
  if (response.status !== 200) throw new Error(`configuring ${name} failed: ${response.status} ${await response.text()}`);
}

export async function createSession(goosed: ApiClient, body: Record<string, unknown> = {}): Promise<{ id: string; [key: string]: unknown }> {
  const response = await goosed.request('/api/sessions', { method: 'POST', json: { name: 'test', ...body } });
  if (response.status !== 201) throw new Error(`creating a session failed: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Polls until the condition holds (for state reached asynchronously, e.g. a reply that ended). */
export async function waitFor<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean = Boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
