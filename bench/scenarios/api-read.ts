import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario.js';
import { createSessions } from '../support/goosed-api.js';
import { runLoad, type LoadResult } from '../support/load.js';
import { spawnServer, startGoosed, type ChildServer } from '../support/processes.js';
import { row } from '../support/report.js';
import { jsonRequest } from '../support/sse-request.js';
import { median } from '../support/stats.js';
import { driverQueriesPerSecond } from '../support/driver-load.js';
import { SESSION_COLUMNS } from '../../src/store/stored-columns.js';

const BARE_SERVER = join(import.meta.dirname, '..', 'support', 'bare-http-server.mjs');

/**
 * GET /api/sessions under autocannon's keep-alive load, against a bare node:http server answering
 * the very bytes goosed answered. Rounds alternate baseline and goosed so drift hits both alike.
 */
export const apiRead: Scenario = {
  name: 'api-read',
  async run({ sizes, workDir, goosedNodeArgs, log }) {
    const { sessions, connections, durationSeconds, warmupSeconds, rounds } = sizes.apiRead;
    const goosed = await startGoosed({ dataDir: join(workDir, 'data'), nodeArgs: goosedNodeArgs });
    let bare: ChildServer | null = null;
    try {
      await createSessions(goosed.url, sessions);
      const listUrl = `${goosed.url}/api/sessions`;
      const sample = await jsonRequest<unknown[]>(listUrl, 'GET');
      if (sample.status !== 200 || sample.body.length !== sessions) throw new Error(`GET /api/sessions gave ${sample.status} with ${sample.body.length} items`);
      const bodyFile = join(workDir, 'sessions.json');
      writeFileSync(bodyFile, sample.text);
      bare = await spawnServer([BARE_SERVER, bodyFile], { announce: /listening on (http:\/\/\S+)/ });

      const goosedRuns: LoadResult[] = [];
      const bareRuns: LoadResult[] = [];
      // CPU time per request, from the kernel's account of each server process: unlike req/s it
      // hardly moves when other work competes for the machine.
      const goosedCpuUs: number[] = [];
      const bareCpuUs: number[] = [];
      const measure = async (server: ChildServer, url: string, runs: LoadResult[], cpu: number[]) => {
        const result = await runLoad(url, { connections, durationSeconds, warmupSeconds, beforeMeasuring: () => (cpuBefore = server.cpuMs()) });
        cpu.push(((server.cpuMs() - cpuBefore) * 1000) / result.requests);
        runs.push(result);
      };
      let cpuBefore = 0;
      for (let round = 1; round <= rounds; round++) {
        log(`round ${round}/${rounds}: bare node:http, ${connections} connections, ${durationSeconds} s`);
        await measure(bare, `${bare.url}/api/sessions`, bareRuns, bareCpuUs);
        log(`round ${round}/${rounds}: goosed`);
        await measure(goosed, listUrl, goosedRuns, goosedCpuUs);
      }
      const pick = (runs: LoadResult[], key: keyof LoadResult) => median(runs.map((run) => run[key]));
      const goosedRps = pick(goosedRuns, 'requestsPerSecond');
      const bareRps = pick(bareRuns, 'requestsPerSecond');
      // Each round's pair ran back to back: the median of their ratios is what other load on the
      // machine disturbs least.
      const ratios = goosedRuns.map((run, index) => run.requestsPerSecond / bareRuns[index].requestsPerSecond);
      const ratio = median(ratios);
      const failures = goosedRuns.reduce((sum, run) => sum + run.errors + run.non2xx + run.timeouts, 0);
      // On PostgreSQL: the query behind the request, straight through the driver, in the same run.
      const databaseUrl = process.env.GOOSED_DATABASE_URL;
      const driverQps = databaseUrl
        ? await driverQueriesPerSecond(databaseUrl, `SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY updated_at DESC, id DESC LIMIT $1`, [51], { concurrency: connections, durationSeconds })
        : null;
      const label = 'bare node:http';
      const scenario = `api-read`;
      return {
        rows: [
          row({
            scenario, metric: `GET /api/sessions (${sessions}), ${connections} conns`, unit: 'req/s',
            goosed: goosedRps, baseline: bareRps, baselineLabel: label, target: '≥ 0.6× baseline', ratio,
            pass: failures === 0 && ratio >= 0.6,
            note: [rounds > 1 ? `ratio: median of ${rounds} paired rounds` : '', failures > 0 ? `${failures} failed requests` : ''].filter(Boolean).join('; ') || undefined,
          }),
          row({ scenario, metric: 'server CPU time per request', unit: 'µs', goosed: median(goosedCpuUs), baseline: median(bareCpuUs), baselineLabel: label }),
          row({ scenario, metric: 'latency p50', unit: 'ms', goosed: pick(goosedRuns, 'latencyP50Ms'), baseline: pick(bareRuns, 'latencyP50Ms'), baselineLabel: label }),
          row({ scenario, metric: 'latency p99', unit: 'ms', goosed: pick(goosedRuns, 'latencyP99Ms'), baseline: pick(bareRuns, 'latencyP99Ms'), baselineLabel: label }),
          ...(driverQps === null
            ? []
            : [row({ scenario, metric: 'GET /api/sessions vs its query through node-postgres', unit: 'req/s', goosed: goosedRps, baseline: driverQps, baselineLabel: 'the query via pg' })]),
        ],
        details: { response_bytes: Buffer.byteLength(sample.text), round_ratios: ratios, goosed_cpu_us_per_request: goosedCpuUs, bare_cpu_us_per_request: bareCpuUs, goosed: goosedRuns, bare_node_http: bareRuns },
      };
    } finally {
      await bare?.stop();
      await goosed.stop();
    }
  },
};
