import { join } from 'node:path';
import type { Scenario } from '../scenario.js';
import { configureScriptedProvider, createSessions } from '../support/goosed-api.js';
import { startGoosed } from '../support/processes.js';
import { traceDirectReply, traceGoosedReply, type ReplyTrace } from '../support/reply-client.js';
import { replyWritesCpuUs } from '../support/reply-writes.js';
import { row } from '../support/report.js';
import { keepAliveAgent } from '../support/sse-request.js';
import { percentile, sleep } from '../support/stats.js';

/** Starts `count` replies evenly spread over `spreadMs` and waits for all of them. */
async function burst(count: number, spreadMs: number, one: () => Promise<ReplyTrace>): Promise<ReplyTrace[]> {
  const started = performance.now();
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const due = started + (index * spreadMs) / count;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      return one();
    }),
  );
}

/**
 * Many replies started within one second, at a typical model pace: how long each waits for its
 * first token while the others start and stream (beside the same burst read straight from the
 * provider); then what one reply start costs goosed's CPU (one-token replies, start to end, beside
 * the same SQLite statements run on better-sqlite3 alone).
 */
export const replyBurst: Scenario = {
  name: 'reply-burst',
  async run({ sizes, workDir, llm, goosedNodeArgs, log }) {
    const { replies, spreadMs, tokens, tokenIntervalMs } = sizes.replyBurst;
    const goosed = await startGoosed({ dataDir: join(workDir, 'data'), nodeArgs: goosedNodeArgs });
    // A fresh pool per phase: a socket left idle by the last phase may be closing (the servers'
    // keep-alive timeout) just as the next one reuses it.
    const agents = [keepAliveAgent(), keepAliveAgent()];
    let agent = agents[0];
    try {
      await configureScriptedProvider(goosed.url, llm.url);
      const sessions = await createSessions(goosed.url, 2 * replies + 1);
      const check = (traces: ReplyTrace[], expected: number, what: string) => {
        const bad = traces.filter((trace) => trace.status !== 200 || !trace.completed || trace.tokens !== expected);
        if (bad.length > 0) throw new Error(`${what}: ${bad.length} of ${traces.length} replies failed (e.g. status ${bad[0].status}, ${bad[0].tokens}/${expected} tokens)`);
        return traces;
      };
      await llm.serve({ tokens: 10, chunkDelayMs: 0, stamped: false });
      check([await traceGoosedReply(goosed.url, sessions.pop()!, { agent })], 10, 'warm-up');

      await llm.serve({ tokens, chunkDelayMs: tokenIntervalMs, stamped: false });
      const timeoutMs = tokens * tokenIntervalMs * 10 + 30_000;
      const firstTokens = (traces: ReplyTrace[]) => traces.map((trace) => trace.firstTokenAt - trace.sentAt);
      log(`${replies} replies of ${tokens} tokens (${tokenIntervalMs} ms apart) started within ${spreadMs} ms: straight from the provider, then via goosed`);
      const direct = firstTokens(check(await burst(replies, spreadMs, () => traceDirectReply(llm.url, { agent, timeoutMs })), tokens, 'direct'));
      const relayed = firstTokens(check(await burst(replies, spreadMs, () => traceGoosedReply(goosed.url, sessions.pop()!, { agent, timeoutMs })), tokens, 'via goosed'));

      log(`${replies} one-token replies started within ${spreadMs} ms: goosed's CPU per reply`);
      agent = agents[1];
      await llm.serve({ tokens: 1, chunkDelayMs: 0, stamped: false });
      const cpuBefore = goosed.cpuMs();
      check(await burst(replies, spreadMs, () => traceGoosedReply(goosed.url, sessions.pop()!, { agent })), 1, 'one-token replies');
      const goosedUsPerReply = ((goosed.cpuMs() - cpuBefore) * 1000) / replies;
      const writesUsPerReply = replyWritesCpuUs(join(workDir, 'writes.db'), replies) / replies;

      const scenario = 'reply-burst';
      return {
        rows: [
          row({
            scenario, metric: `${replies} replies started within ${spreadMs / 1000} s: time to first token p99`, unit: 'ms',
            goosed: percentile(relayed, 99), baseline: percentile(direct, 99), baselineLabel: 'read directly', target: '< 2,000 ms', pass: percentile(relayed, 99) < 2000,
          }),
          row({ scenario, metric: 'time to first token p50', unit: 'ms', goosed: percentile(relayed, 50), baseline: percentile(direct, 50), baselineLabel: 'read directly' }),
          row({
            scenario, metric: 'server CPU per reply (one token: start, relay, end; no tools)', unit: 'µs',
            goosed: goosedUsPerReply, baseline: writesUsPerReply, baselineLabel: 'the same SQLite statements on better-sqlite3 alone',
          }),
        ],
        details: {
          first_token_ms: Object.fromEntries([50, 90, 99, 100].map((p) => [`p${p}`, { direct: percentile(direct, p), goosed: percentile(relayed, p) }])),
          cpu_us_per_reply: { goosed: goosedUsPerReply, sqlite_alone: writesUsPerReply },
        },
      };
    } finally {
      for (const each of agents) each.destroy();
      await goosed.stop();
    }
  },
};
