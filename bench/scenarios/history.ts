import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Scenario } from '../scenario.js';
import { startGoosed } from '../support/processes.js';
import { row } from '../support/report.js';
import { seedDatabase, seedPostgres, type SeedPlan } from '../support/seed.js';
import { keepAliveAgent, timedGet } from '../support/sse-request.js';
import { median } from '../support/stats.js';
import { STORED_MESSAGE_FIELDS } from '../../src/store/store.js';
import { SESSION_COLUMNS as STORED_SESSION_COLUMNS } from '../../src/store/stored-columns.js';
import { PAGE_CACHE_PRAGMA } from '../../src/store/sqlite/sqlite-store.js';
import { clientConfig } from '../../src/store/postgres/database.js';

// The statements goosed runs for these two reads (src/store/sqlite/sqlite-store.ts), run straight on
// better-sqlite3 as the baseline: what the request costs beyond the query itself is goosed's.
const SESSION_COLUMNS = 'id, name, working_directory, execution_mode, status, created_at, updated_at, message_count, input_tokens, output_tokens';
const FIRST_PAGE_SQL = `SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY updated_at DESC, id DESC LIMIT ?`;
// A history is counted (to size the response), then read row by row in array form (raw: the wire
// fields, then the position); goosed writes the JSON from each row as it comes (src/server/json/message-json.ts).
const COUNT_MESSAGES_SQL = 'SELECT COUNT(*) FROM messages WHERE session_id = ? AND position > ?';
const ALL_MESSAGES_SQL = `SELECT ${STORED_MESSAGE_FIELDS.join(', ')}, position FROM messages WHERE session_id = ? AND position > ? ORDER BY position LIMIT ?`;
// On PostgreSQL (src/store/postgres/postgres-store.ts): no count first; the rows are handed on as they arrive.
const PG_FIRST_PAGE_SQL = `SELECT ${STORED_SESSION_COLUMNS} FROM sessions ORDER BY updated_at DESC, id DESC LIMIT $1`;
const PG_ALL_MESSAGES_SQL = `SELECT ${STORED_MESSAGE_FIELDS.join(', ')}, position FROM messages WHERE session_id = $1 AND position > $2 ORDER BY position LIMIT $3`;
const DEFAULT_PAGE = 50;

/** The two reads behind the requests, on the database alone: the baseline. */
interface BaselineReads {
  label: string;
  /** Bytes the store takes. */
  bytes: number;
  firstPage(): unknown;
  readHistory(): unknown;
  close(): Promise<void>;
}

async function timeQuery(samples: number, run: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

/** Seeds goosed's SQLite file; the reads on better-sqlite3, as goosed's store makes them. */
async function onSqlite(dataDir: string, plan: SeedPlan): Promise<{ bigId: string; reads: BaselineReads }> {
  const seeded = await seedDatabase(dataDir, plan);
  const bigId = seeded.bigSessionIds[0];
  const db = new Database(seeded.databaseFile, { readonly: true });
  db.pragma(PAGE_CACHE_PRAGMA); // as goosed's store
  const firstPage = db.prepare(FIRST_PAGE_SQL);
  const countMessages = db.prepare(COUNT_MESSAGES_SQL).pluck();
  const allMessages = db.prepare(ALL_MESSAGES_SQL).raw();
  return {
    bigId,
    reads: {
      label: 'same SQL on better-sqlite3',
      bytes: seeded.bytes,
      firstPage: () => firstPage.all(DEFAULT_PAGE + 1),
      readHistory: () => {
        countMessages.get(bigId, 0);
        let rows = 0;
        for (const _row of allMessages.iterate(bigId, 0, -1)) rows++;
        return rows;
      },
      close: async () => {
        db.close();
      },
    },
  };
}

/** Seeds goosed's PostgreSQL database through its store; the reads through node-postgres alone, configured as goosed's pool. */
async function onPostgres(url: string, plan: SeedPlan): Promise<{ bigId: string; reads: BaselineReads }> {
  const seeded = await seedPostgres(url, plan);
  const bigId = seeded.bigSessionIds[0];
  const client = new pg.Client(clientConfig({ url, applicationName: 'goosed-bench' }));
  await client.connect();
  return {
    bigId,
    reads: {
      label: 'same SQL via node-postgres',
      bytes: seeded.bytes,
      firstPage: () => client.query({ name: 'bench_first_page', text: PG_FIRST_PAGE_SQL, values: [DEFAULT_PAGE + 1] }),
      // As goosed reads it: rows as arrays, each handed on as it arrives, none gathered.
      readHistory: () =>
        new Promise<number>((resolve, reject) => {
          let rows = 0;
          const query = new pg.Query({ name: 'bench_all_messages', text: PG_ALL_MESSAGES_SQL, values: [bigId, 0, null], rowMode: 'array' } as pg.QueryConfig);
          query.on('row', () => rows++);
          query.on('end', () => resolve(rows));
          query.on('error', reject);
          client.query(query);
        }),
      close: () => client.end(),
    },
  };
}

/** A large history: the first page of the session list, and one very long session fetched whole. */
export const history: Scenario = {
  name: 'history',
  async run({ sizes, workDir, goosedNodeArgs, log }) {
    const { sessions, messagesPerSession, bigSessionMessages, listSamples, bigSamples } = sizes.history;
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // With `--store postgres` goosed uses the scenario's database (GOOSED_DATABASE_URL), seeded here.
    const databaseUrl = process.env.GOOSED_DATABASE_URL;
    log(`seeding ${sessions} sessions × ${messagesPerSession} messages and one of ${bigSessionMessages}${databaseUrl ? ' on PostgreSQL' : ''}`);
    const seedStarted = performance.now();
    const plan: SeedPlan = { sessions, messagesPerSession, assistantChars: 600, bigSessions: [bigSessionMessages] };
    const { bigId, reads } = databaseUrl ? await onPostgres(databaseUrl, plan) : await onSqlite(dataDir, plan);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`seeded ${(reads.bytes / 1e6).toFixed(0)} MB in ${seedSeconds.toFixed(1)} s`);

    const goosed = await startGoosed({ dataDir, nodeArgs: goosedNodeArgs });
    const agent = keepAliveAgent(1);
    try {
      const listUrl = `${goosed.url}/api/sessions`;
      const bigUrl = `${goosed.url}/api/sessions/${bigId}`;
      // Warm both sides alike: the page cache, the JIT, the sockets.
      for (let i = 0; i < 20; i++) await timedGet(listUrl, agent);
      for (let i = 0; i < 2; i++) await timedGet(bigUrl, agent);
      await timeQuery(20, reads.firstPage);
      await timeQuery(2, reads.readHistory);

      log(`list: ${listSamples} requests; big session: ${bigSamples} requests`);
      const listTimes: number[] = [];
      for (let i = 0; i < listSamples; i++) {
        const response = await timedGet(listUrl, agent);
        if (response.status !== 200) throw new Error(`GET /api/sessions answered ${response.status}`);
        listTimes.push(response.ms);
      }
      const bigTimes: number[] = [];
      let bigBytes = 0;
      for (let i = 0; i < bigSamples; i++) {
        const response = await timedGet(bigUrl, agent);
        if (response.status !== 200) throw new Error(`GET /api/sessions/{id} answered ${response.status}`);
        bigTimes.push(response.ms);
        bigBytes = response.bytes;
      }
      const listSql = await timeQuery(listSamples, reads.firstPage);
      const bigSql = await timeQuery(bigSamples, reads.readHistory);

      const scenario = 'history';
      const label = reads.label;
      const listP50 = median(listTimes);
      const bigP50 = median(bigTimes);
      return {
        rows: [
          row({
            scenario, metric: `first page of ${(sessions + 1).toLocaleString('en-US')} sessions, p50`, unit: 'ms',
            goosed: listP50, baseline: median(listSql), baselineLabel: label, target: '< 5 ms', pass: listP50 < 5,
          }),
          row({
            scenario, metric: `${bigSessionMessages.toLocaleString('en-US')}-message session fetched, p50`, unit: 'ms',
            goosed: bigP50, baseline: median(bigSql), baselineLabel: label, target: '< 150 ms', pass: bigP50 < 150,
            note: `${(bigBytes / 1e6).toFixed(1)} MB of JSON`,
          }),
        ],
        details: {
          database_mb: reads.bytes / 1e6, seed_seconds: seedSeconds, big_session_bytes: bigBytes,
          list_ms: listTimes, list_sql_ms: listSql, big_ms: bigTimes, big_sql_ms: bigSql,
        },
      };
    } finally {
      await reads.close();
      agent.destroy();
      await goosed.stop();
    }
  },
};
