// goosed as a separate process started from a fresh esbuild bundle of src/ (packages stay in
// node_modules): it starts in about half the time tsx needs, which matters to tests that kill and
// restart it many times, and it is built from the working tree, so it is never stale.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { build, type Plugin } from 'esbuild';
import type { GoosedProcess } from './goosed.js';

const REPO = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

export interface GoosedBundle {
  file: string;
  remove(): void;
}

/**
 * The ACP SDK inside the bundle, as in dist/: an external package's imports are hoisted to the top
 * of a one-file ES module, so `goosed acp`'s SDK would load at every server start (half a second),
 * where the bundle keeps it in the lazily run code of `goosed acp`.
 */
const acpSdkInside: Plugin = {
  name: 'acp-sdk-inside',
  setup(build) {
    build.onResolve({ filter: /^@agentclientprotocol\/sdk(\/|$)/ }, (args) => ({ path: require.resolve(args.path) }));
  },
};

/** Written to test-output/ (one level below package.json, where src/version.ts looks for it). */
export async function buildGoosedBundle(): Promise<GoosedBundle> {
  mkdirSync(join(REPO, 'test-output'), { recursive: true });
  const file = join(REPO, 'test-output', `goosed-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
  await build({
    entryPoints: [join(REPO, 'src', 'cli.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [acpSdkInside],
    logLevel: 'warning',
  });
  return { file, remove: () => rmSync(file, { force: true }) };
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
