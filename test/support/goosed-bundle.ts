// goosed as a separate process started from a fresh esbuild bundle of src/ (packages stay in
// node_modules): it starts in about half the time tsx needs, which matters to tests that kill and
// restart it many times, and it is built from the working tree, so it is never stale.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { build, buildSync, type BuildOptions } from 'esbuild';
import type { GoosedProcess } from './goosed.js';

const REPO = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

export interface GoosedBundle {
  file: string;
  remove(): void;
}

/**
 * Packages stay in node_modules, except the ACP SDK, which goes inside, as in dist/: an external
 * package's imports are hoisted to the top of a one-file ES module, so `goosed acp`'s SDK would load
 * at every server start (half a second), where the bundle keeps it in the lazily run code of `goosed acp`.
 */
function externalPackages(): string[] {
  const { dependencies } = require(join(REPO, 'package.json')) as { dependencies: Record<string, string> };
  const names = Object.keys(dependencies).filter((name) => name !== '@agentclientprotocol/sdk');
  return names.flatMap((name) => [name, `${name}/*`]);
}

/** Where a bundle goes: test-output/ (one level below package.json, where src/version.ts looks for it). */
function bundleOptions(): BuildOptions & { outfile: string } {
  mkdirSync(join(REPO, 'test-output'), { recursive: true });
  return {
    entryPoints: [join(REPO, 'src', 'cli.ts')],
    outfile: join(REPO, 'test-output', `goosed-${process.pid}-${randomBytes(4).toString('hex')}.mjs`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: externalPackages(),
    logLevel: 'warning',
  };
}

/**
 * The SQLite write thread's script for a bundle: beside it and named after it, where goosed looks
 * for it (src/store/sqlite/write-thread.ts), built as dist/ builds it.
 */
function writerOptions(bundleFile: string): BuildOptions & { outfile: string } {
  return {
    entryPoints: [join(REPO, 'src', 'store', 'sqlite', 'sqlite-write-worker.ts')],
    outfile: bundleFile.replace(/\.mjs$/, '.sqlite-writer.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: '"use strict";var importMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
    external: externalPackages(),
    logLevel: 'warning',
  };
}

export async function buildGoosedBundle(): Promise<GoosedBundle> {
  const options = bundleOptions();
  const writer = writerOptions(options.outfile);
  await Promise.all([build(options), build(writer)]);
  return {
    file: options.outfile,
    remove: () => {
      rmSync(options.outfile, { force: true });
      rmSync(writer.outfile, { force: true });
    },
  };
}

let processBundle: string | undefined;

/**
 * The bundle `goosed` runs from as a command: the run's own (test/support/goosed-bundle-setup.ts), else
 * one built for this process on first use (synchronously, so a command can be spawned at once) and
 * removed when it exits. Many starts without tsx's start-up each time.
 */
export function processGoosedBundle(): string {
  processBundle ??= process.env.TEST_GOOSED_BUNDLE;
  if (processBundle) return processBundle;
  const options = bundleOptions();
  const writer = writerOptions(options.outfile);
  buildSync(options);
  buildSync(writer);
  const file = options.outfile;
  process.once('exit', () => {
    rmSync(file, { force: true });
    rmSync(writer.outfile, { force: true });
  });
  return (processBundle = file);
}

/**
 * The SQLite write thread's script for servers started in this process from the sources (without
 * it each would start its thread through tsx, half a second): the run's bundle's, else this process's.
 */
export function sqliteWriterScript(): URL {
  return pathToFileURL(processGoosedBundle().replace(/\.mjs$/, '.sqlite-writer.cjs'));
}

/** Environment without the machine's provider keys: the tests configure providers through the API. */
export function cleanEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/API_KEY|BASE_URL|^GOOSE_|^GOOSED_|^OLLAMA_HOST$/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Starts the bundle without waiting for it (for runs expected to fail, or to race). */
export function runBundledGoosed(bundle: GoosedBundle, args: string[], env: NodeJS.ProcessEnv = {}): Omit<GoosedProcess, 'url'> {
  const child = spawn(process.execPath, [bundle.file, ...args], { env: cleanEnvironment({ GOOSED_LOG_LEVEL: 'warn', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Starts the bundle and waits for its `listening on` line. */
export function spawnBundledGoosed(bundle: GoosedBundle, args: string[], env: NodeJS.ProcessEnv = {}): Promise<GoosedProcess> {
  const run = runBundledGoosed(bundle, args, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`goosed did not start: ${run.stderr()}`)), 20_000);
    const check = () => {
      const match = /goosed listening on (http:\/\/\S+)/.exec(run.stdout());
      if (!match) return;
      clearTimeout(timer);
      run.child.stdout!.off('data', check);
      resolve({ ...run, url: match[1] });
    };
    run.child.stdout!.on('data', check);
    run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`goosed exited with ${code}: ${run.stderr()}`));
    });
  });
}
