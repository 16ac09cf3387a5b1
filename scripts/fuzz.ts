// `npm run fuzz [-- --cases N] [--frames N] [--seed S]`: the fuzzer of test/fuzz.test.ts at full
// size (10,000 requests and 2,000 WebSocket frames by default) against goosed as a process (the
// built dist/cli.js), so that a crash shows as the process dying. Fails on any 5xx, any answer that
// is not `{error, code}`, a dead or unresponsive server, or a damaged database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startScriptedLlm } from '../test/support/scripted-llm.js';
import { spawnBundledGoosed } from '../test/support/goosed-bundle.js';
import { runHttpFuzz } from '../test/support/fuzz/run-http-fuzz.js';
import { runWsFuzz } from '../test/support/fuzz/run-ws-fuzz.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const cases = option('cases', 10_000);
const frames = option('frames', 2_000);
const seed = option('seed', Date.now() % 1_000_000_007);
const BODY_LIMIT = 10 * 1024 * 1024; // goosed's default

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'goosed-fuzz-'));
  const llm = await startScriptedLlm();
  llm.setFallback({ text: 'ok' });
  const bundle = { file: join(import.meta.dirname, '..', 'dist', 'cli.js'), remove: () => {} };
  const goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml'), '--log-level', 'error']);
  const port = Number(new URL(goosed.url).port);
  const started = Date.now();
  try {
    const configure = await fetch(`${goosed.url}/api/providers`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'openai', api_key: 'sk-fuzz-000000000000', model: 'scripted', base_url: `${llm.url}/v1` }),
    });
    if (configure.status !== 200) throw new Error(`configuring the provider failed: ${configure.status}`);
    console.log(`fuzzing goosed pid ${goosed.child.pid} at ${goosed.url} with seed ${seed}: ${cases} requests, ${frames} WebSocket frames`);

    const http = await runHttpFuzz({
      port, cases, seed, bodyLimitBytes: BODY_LIMIT, workingDirectory: dir, llmUrl: llm.url,
      onBatch: (stats) => console.log(`  ${stats.sent} requests, ${stats.serverErrors} 5xx, ${stats.failures.length} failures`),
    });
    const sessions = await Promise.all([0, 1, 2].map(async (i) => {
      const response = await fetch(`${goosed.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `ws fuzz ${i}` }) });
      return (await response.json()).id as string;
    }));
    const ws = await runWsFuzz({ port, frames, seed, sessionIds: sessions, workingDirectory: dir, llmUrl: llm.url });

    const alive = goosed.child.exitCode === null && (await fetch(`${goosed.url}/api/status`).then((r) => r.status, () => 0)) === 200;
    const db = new Database(join(dir, 'data', 'goosed.db'), { readonly: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    const summary = {
      seed, seconds: Math.round((Date.now() - started) / 1000),
      http: { sent: http.sent, operations: http.operations, serverErrors: http.serverErrors, failures: http.failures.length, byStatus: http.byStatus },
      webSocket: { sent: ws.sent, errorEvents: ws.errorEvents, protocolCloses: ws.protocolCloses, failures: ws.failures.length },
      serverAlive: alive, integrity,
    };
    console.log(JSON.stringify(summary, null, 2));
    for (const failure of [...http.failures, ...ws.failures].slice(0, 10)) console.log('failure:', JSON.stringify(failure));
    process.exitCode = http.failures.length === 0 && ws.failures.length === 0 && alive && integrity === 'ok' ? 0 : 1;
  } finally {
    goosed.child.kill('SIGTERM');
    const code = await goosed.exited;
    if (code !== 0) console.log(`goosed exited with ${code}`);
    const stderr = goosed.stderr().trim();
    if (stderr) console.log(`goosed stderr (last 2000 characters):\n${stderr.slice(-2000)}`);
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
