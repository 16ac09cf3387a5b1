import { join } from 'node:path';
import type { Scenario } from '../scenario.js';
import { configureScriptedProvider, createSessions } from '../support/goosed-api.js';
import { cpuMsOf, settledRssKiB, startGoosed } from '../support/processes.js';
import { traceAdapterReply, traceDirectReply, traceGoosedReply, type ReplyTrace } from '../support/reply-client.js';
import { row } from '../support/report.js';
import { keepAliveAgent } from '../support/sse-request.js';
import { percentile } from '../support/stats.js';

const MB = 1e6;

/**
 * Many sessions replying at once at a typical model pace. Every token the provider sends carries
 * the time it was due on the wire, so the client can tell how late it arrived: read straight from
 * the provider (the baseline: the provider's own pacing plus the client) and relayed by goosed.
 */
export const concurrentReplies: Scenario = {
  name: 'concurrent-replies',
  async run({ sizes, workDir, llm, goosedNodeArgs, log }) {
    const { sessions: count, tokens, tokenIntervalMs } = sizes.concurrentReplies;
    const goosed = await startGoosed({ dataDir: join(workDir, 'data'), nodeArgs: goosedNodeArgs });
    // A fresh pool for the relayed phase (as in reply-burst): the warm-up's socket, idle through the
    // settle and the direct read, may be closing (the server's 5 s keep-alive timeout) just as it is reused.
    const agents = [keepAliveAgent(), keepAliveAgent()];
    let agent = agents[0];
    try {
      await configureScriptedProvider(goosed.url, llm.url);
      const sessions = await createSessions(goosed.url, count + 1);
      await llm.serve({ tokens: 10, chunkDelayMs: 0, stamped: false });
      await traceGoosedReply(goosed.url, sessions.pop()!, { agent });
      const idleRss = await settledRssKiB(goosed);

      await llm.serve({ tokens, chunkDelayMs: tokenIntervalMs, stamped: true });
      const timeoutMs = tokens * tokenIntervalMs * 10 + 30_000;
      const run = async (label: string, one: (delays: number[]) => Promise<ReplyTrace>) => {
        const delays: number[] = [];
        // CPU of each process in the run, to tell goosed's cost from the harness's (the client
        // here, the scripted provider): µs per token received.
        const cpuBefore = { goosed: goosed.cpuMs(), llm: cpuMsOf(llm.pid), client: process.cpuUsage() };
        const started = performance.now();
        const traces = await Promise.all(Array.from({ length: count }, () => one(delays)));
        const seconds = (performance.now() - started) / 1000;
        const client = process.cpuUsage(cpuBefore.client);
        const perToken = (ms: number) => (ms * 1000) / Math.max(1, delays.length);
        const cpuUsPerToken = {
          goosed: perToken(goosed.cpuMs() - cpuBefore.goosed),
          llm: perToken(cpuMsOf(llm.pid) - cpuBefore.llm),
          client: perToken((client.user + client.system) / 1000),
        };
        const completed = traces.filter((trace) => trace.status === 200 && trace.completed && trace.tokens === tokens).length;
        log(`${label}: ${completed}/${count} complete in ${seconds.toFixed(1)} s`);
        // The stamps time a token from when the provider wrote it; a reply that starts late (its
        // provider request queued in goosed) shows here instead.
        const firstTokens = traces.map((trace) => trace.firstTokenAt - trace.sentAt);
        return { delays, completed, seconds, firstTokens, cpuUsPerToken, statuses: [...new Set(traces.map((trace) => trace.status))], timedOut: traces.filter((trace) => trace.timedOut).length };
      };
      const stampDelay = (delays: number[]) => (text: string, receivedAt: number) => {
        delays.push(receivedAt - Number.parseFloat(text));
      };
      log(`${count} replies × ${tokens} tokens, ${tokenIntervalMs} ms apart: straight from the provider, then via goosed`);
      const direct = await run('direct', (delays) => traceDirectReply(llm.url, { agent, timeoutMs, onToken: stampDelay(delays) }));
      agent = agents[1];
      const relayed = await run('via goosed', (delays) => traceGoosedReply(goosed.url, sessions.pop()!, { agent, timeoutMs, onToken: stampDelay(delays) }));
      const peakRss = goosed.peakRssKiB();
      // The floor for a server that streams through the AI SDK: the adapter's own doStream reading
      // the same paced streams, as many at once, in this process (nothing else runs in it then).
      const adapterStreams = count;
      log(`adapter alone: ${adapterStreams} of the same streams through the AI SDK adapter's doStream, in process`);
      const readAlone = async (reader: 'sdk' | 'goosed') => {
        // Warm: the reader's modules are loaded and compiled on its first use.
        await traceAdapterReply(llm.url, reader);
        const before = process.cpuUsage();
        const traces = await Promise.all(Array.from({ length: adapterStreams }, () => traceAdapterReply(llm.url, reader)));
        const cpu = process.cpuUsage(before);
        return (cpu.user + cpu.system) / Math.max(1, traces.reduce((sum, trace) => sum + trace.tokens, 0));
      };
      const adapterUsPerToken = await readAlone('sdk');
      // goosed's own OpenAI reader (src/providers/openai-chat-model.ts) on the same streams: its share of goosed's figure.
      log(`reader alone: ${adapterStreams} of the same streams through goosed's own OpenAI reader, in process`);
      const readerUsPerToken = await readAlone('goosed');

      const scenario = 'concurrent-replies';
      const label = "provider's own pacing";
      const p99 = percentile(relayed.delays, 99);
      return {
        rows: [
          row({
            scenario, metric: `${count} replies × ${tokens} tokens at once: completed`, unit: '',
            goosed: relayed.completed, baseline: direct.completed, baselineLabel: 'read directly', target: `all ${count}`, pass: relayed.completed === count,
          }),
          row({
            scenario, metric: 'token delay p99 (due on the wire → client)', unit: 'ms',
            goosed: p99, baseline: percentile(direct.delays, 99), baselineLabel: label, target: '< 50 ms', pass: p99 < 50,
          }),
          row({ scenario, metric: 'token delay p50', unit: 'ms', goosed: percentile(relayed.delays, 50), baseline: percentile(direct.delays, 50), baselineLabel: label }),
          row({ scenario, metric: 'time to first token p99 (request → client)', unit: 'ms', goosed: percentile(relayed.firstTokens, 99), baseline: percentile(direct.firstTokens, 99), baselineLabel: 'read directly' }),
          row({ scenario, metric: `all ${count} replies done (provider pace: ${((tokens * tokenIntervalMs) / 1000).toFixed(1)} s)`, unit: 's', goosed: relayed.seconds, baseline: direct.seconds, baselineLabel: 'read directly' }),
          row({
            scenario, metric: 'server CPU per relayed token (whole run ÷ tokens, starts included)', unit: 'µs',
            goosed: relayed.cpuUsPerToken.goosed, baseline: adapterUsPerToken, baselineLabel: "AI SDK adapter's doStream alone, same paced streams",
          }),
          row({
            scenario, metric: "CPU per token of goosed's own OpenAI reader alone", unit: 'µs',
            goosed: readerUsPerToken, baseline: adapterUsPerToken, baselineLabel: "AI SDK adapter's doStream alone, same paced streams",
          }),
          row({
            scenario, metric: 'bench client CPU per token (the harness)', unit: 'µs',
            goosed: relayed.cpuUsPerToken.client, baseline: direct.cpuUsPerToken.client, baselineLabel: 'same client reading the provider directly',
          }),
          row({
            scenario, metric: 'peak RSS', unit: 'MB', goosed: (peakRss * 1024) / MB, baseline: (idleRss * 1024) / MB, baselineLabel: 'goosed idle before',
            target: '< 600 MB', pass: (peakRss * 1024) / MB < 600,
          }),
        ],
        details: {
          cpu_us_per_token: { direct: direct.cpuUsPerToken, goosed: relayed.cpuUsPerToken, adapter_alone: adapterUsPerToken, reader_alone: readerUsPerToken, adapter_streams: adapterStreams },
          direct: { completed: direct.completed, seconds: direct.seconds, statuses: direct.statuses, tokens_seen: direct.delays.length, first_token_p50_ms: percentile(direct.firstTokens, 50) },
          goosed: {
            completed: relayed.completed, seconds: relayed.seconds, statuses: relayed.statuses, timed_out: relayed.timedOut, tokens_seen: relayed.delays.length,
            first_token_p50_ms: percentile(relayed.firstTokens, 50), error_log: goosed.errorLog(),
          },
          delay_percentiles_ms: Object.fromEntries(
            [50, 90, 99, 99.9, 100].map((p) => [`p${p}`, { direct: percentile(direct.delays, p), goosed: percentile(relayed.delays, p) }]),
          ),
          idle_rss_kib: idleRss,
          peak_rss_kib: peakRss,
        },
      };
    } finally {
      for (const pool of agents) pool.destroy();
      await goosed.stop();
    }
  },
};
