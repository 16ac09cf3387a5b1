import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import type { Scenario } from '../scenario.js';
import { settledRssKiB, spawnServer, startGoosed, type ChildServer } from '../support/processes.js';
import { row } from '../support/report.js';
import { seedDatabase } from '../support/seed.js';
import { median, sleep } from '../support/stats.js';

// The baseline: plain node listening on a port and answering, as `node -e` starts it.
const NODE_LISTENER = `require('http').createServer((q, s) => s.end('{"status":"ok"}')).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port) })`;
const ABSOLUTE_LIMIT_MS = 350;

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/status`, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Spawn → URL printed → first 200 from /api/status, in ms; the server is left running. */
async function timeToFirstOk(start: () => Promise<ChildServer>): Promise<{ server: ChildServer; ms: number }> {
  const server = await start();
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await status(server.url)) === 200) return { server, ms: performance.now() - server.spawnedAt };
    await sleep(5);
  }
  await server.stop();
  throw new Error('/api/status never answered 200');
}

/**
 * Start-up time and idle memory of the bundled server, with an empty data directory and with a
 * ~100 MB database, against `node -e` listening on a port. Runs alternate between the three.
 */
export const startup: Scenario = {
  name: 'startup',
  async run({ sizes, workDir, goosedNodeArgs, log }) {
    const { runs, bigDatabaseMiB } = sizes.startup;
    const bigDir = join(workDir, 'big');
    mkdirSync(bigDir, { recursive: true, mode: 0o700 });
    // Few long messages: start-up cost does not depend on how the bytes are split into rows.
    const seeded = await seedDatabase(bigDir, { sessions: Math.ceil((bigDatabaseMiB * 1024 * 1024) / (40 * 20_000)), messagesPerSession: 40, assistantChars: 16_000 });
    log(`seeded a ${(seeded.bytes / 1e6).toFixed(0)} MB database; ${runs} starts of each`);

    const baseline: number[] = [];
    const empty: number[] = [];
    const big: number[] = [];
    const baselineRss: number[] = [];
    const goosedRss: number[] = [];
    for (let run = 0; run < runs; run++) {
      const node = await timeToFirstOk(() => spawnServer(['-e', NODE_LISTENER], { announce: /listening on (http:\/\/\S+)/ }));
      baseline.push(node.ms);
      baselineRss.push(await settledRssKiB(node.server));
      await node.server.stop();

      const fresh = await timeToFirstOk(() => startGoosed({ dataDir: join(workDir, `empty-${run}`), nodeArgs: goosedNodeArgs }));
      empty.push(fresh.ms);
      goosedRss.push(await settledRssKiB(fresh.server));
      await fresh.server.stop();

      const loaded = await timeToFirstOk(() => startGoosed({ dataDir: bigDir, nodeArgs: goosedNodeArgs }));
      big.push(loaded.ms);
      await loaded.server.stop();
    }
    const base = median(baseline);
    const scenario = 'startup';
    const label = 'node -e listening';
    const timeTarget = `< 3× baseline and < ${ABSOLUTE_LIMIT_MS} ms`;
    const timeRow = (metric: string, times: number[]) => {
      const ms = median(times);
      return row({ scenario, metric, unit: 'ms', goosed: ms, baseline: base, baselineLabel: label, target: timeTarget, pass: ms < 3 * base && ms < ABSOLUTE_LIMIT_MS });
    };
    const rss = median(goosedRss) / 1024;
    const baseRss = median(baselineRss) / 1024;
    return {
      rows: [
        timeRow('spawn → first /api/status 200, empty data dir', empty),
        timeRow(`same, ${(seeded.bytes / 1e6).toFixed(0)} MB database`, big),
        row({ scenario, metric: 'RSS idle after start', unit: 'MiB', goosed: rss, baseline: baseRss, baselineLabel: label, target: '< 2× baseline', pass: rss < 2 * baseRss }),
      ],
      details: { database_mb: seeded.bytes / 1e6, baseline_ms: baseline, empty_ms: empty, big_database_ms: big, baseline_rss_kib: baselineRss, goosed_rss_kib: goosedRss },
    };
  },
};
