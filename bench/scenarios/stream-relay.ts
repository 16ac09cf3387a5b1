import { join } from 'node:path';
import type { Scenario } from '../scenario.js';
import { configureScriptedProvider, createSessions } from '../support/goosed-api.js';
import { startGoosed } from '../support/processes.js';
import { traceAdapterReply, traceDirectReply, traceGoosedReply, type ReplyTrace } from '../support/reply-client.js';
import { row } from '../support/report.js';
import { keepAliveAgent } from '../support/sse-request.js';
import { median, percentile } from '../support/stats.js';

/**
 * One long reply the scripted provider sends as fast as it can, read through goosed's SSE and
 * read straight from the provider; then many short replies for the time to the first token.
 * Each goosed reply gets a fresh session so every run sends the provider the same conversation.
 */
export const streamRelay: Scenario = {
  name: 'stream-relay',
  async run({ sizes, workDir, llm, goosedNodeArgs, log }) {
    const { tokens, warmupRuns, runs, firstTokenSamples } = sizes.streamRelay;
    const goosed = await startGoosed({ dataDir: join(workDir, 'data'), nodeArgs: goosedNodeArgs });
    const agent = keepAliveAgent();
    try {
      await configureScriptedProvider(goosed.url, llm.url);
      const sessions = await createSessions(goosed.url, 2 + warmupRuns + runs + 2 * firstTokenSamples);
      const nextSession = () => sessions.pop()!;
      const check = (trace: ReplyTrace, expected: number, what: string) => {
        if (trace.status !== 200 || !trace.completed || trace.tokens !== expected) {
          throw new Error(`${what}: status ${trace.status}, ${trace.tokens}/${expected} tokens, completed ${trace.completed}`);
        }
        return trace;
      };
      const rate = (trace: ReplyTrace) => trace.tokens / ((trace.lastTokenAt - trace.sentAt) / 1000);

      // Warm-up: the provider client is loaded on goosed's first reply; sockets get opened.
      await llm.serve({ tokens: 20, chunkDelayMs: 0, stamped: false });
      check(await traceGoosedReply(goosed.url, nextSession(), { agent }), 20, 'warm-up via goosed');
      check(await traceDirectReply(llm.url, { agent }), 20, 'warm-up direct');

      await llm.serve({ tokens, chunkDelayMs: 0, stamped: false });
      // Both paths speed up severalfold over their first long replies (the JIT): measure them warm.
      for (let run = 1; run <= warmupRuns; run++) {
        check(await traceDirectReply(llm.url, { agent }), tokens, 'warm-up direct');
        check(await traceGoosedReply(goosed.url, nextSession(), { agent }), tokens, 'warm-up via goosed');
      }
      for (let run = 1; run <= warmupRuns; run++) check(await traceAdapterReply(llm.url), tokens, 'warm-up through the adapter');
      const directRates: number[] = [];
      const goosedRates: number[] = [];
      const adapterRates: number[] = [];
      for (let run = 1; run <= runs; run++) {
        log(`run ${run}/${runs}: ${tokens} tokens direct, via goosed, then through the AI SDK adapter alone`);
        directRates.push(rate(check(await traceDirectReply(llm.url, { agent }), tokens, 'direct')));
        goosedRates.push(rate(check(await traceGoosedReply(goosed.url, nextSession(), { agent }), tokens, 'via goosed')));
        adapterRates.push(rate(check(await traceAdapterReply(llm.url), tokens, 'through the adapter')));
      }

      log(`time to first token: ${firstTokenSamples} short replies each way`);
      await llm.serve({ tokens: 20, chunkDelayMs: 0, stamped: false });
      for (let i = 0; i < firstTokenSamples; i++) check(await traceGoosedReply(goosed.url, nextSession(), { agent }), 20, 'warm-up via goosed');
      const directFirst: number[] = [];
      const goosedFirst: number[] = [];
      const adapterFirst: number[] = [];
      for (let i = 0; i < firstTokenSamples; i++) {
        const adapted = check(await traceAdapterReply(llm.url), 20, 'through the adapter');
        adapterFirst.push(adapted.firstTokenAt - adapted.sentAt);
        const direct = check(await traceDirectReply(llm.url, { agent }), 20, 'direct');
        directFirst.push(direct.firstTokenAt - direct.sentAt);
        const relayed = check(await traceGoosedReply(goosed.url, nextSession(), { agent }), 20, 'via goosed');
        goosedFirst.push(relayed.firstTokenAt - relayed.sentAt);
      }
      const goosedRate = median(goosedRates);
      const directRate = median(directRates);
      const firstP50 = median(goosedFirst);
      const directFirstP50 = median(directFirst);
      const scenario = 'stream-relay';
      const label = 'provider read directly';
      return {
        rows: [
          row({
            scenario, metric: `${tokens.toLocaleString('en-US')}-token reply over SSE`, unit: 'tokens/s',
            goosed: goosedRate, baseline: directRate, baselineLabel: label, target: '≥ 0.5× baseline', pass: goosedRate >= 0.5 * directRate,
          }),
          row({
            scenario, metric: 'same reply, against the AI SDK adapter alone', unit: 'tokens/s',
            goosed: goosedRate, baseline: median(adapterRates), baselineLabel: "OpenAI adapter's doStream read in-process, nothing else",
          }),
          row({
            scenario, metric: 'time to first token p50', unit: 'ms', goosed: firstP50, baseline: directFirstP50, baselineLabel: label,
            target: '< baseline + 5 ms', pass: firstP50 - directFirstP50 < 5, note: `added ${(firstP50 - directFirstP50).toFixed(2)} ms`,
          }),
          row({
            scenario, metric: 'time to first token p50, against the AI SDK adapter alone', unit: 'ms', goosed: firstP50, baseline: median(adapterFirst),
            baselineLabel: "OpenAI adapter's doStream in-process", note: `added ${(firstP50 - median(adapterFirst)).toFixed(2)} ms`,
          }),
          row({ scenario, metric: 'time to first token p99', unit: 'ms', goosed: percentile(goosedFirst, 99), baseline: percentile(directFirst, 99), baselineLabel: label }),
        ],
        details: { tokens, goosed_tokens_per_s: goosedRates, direct_tokens_per_s: directRates, adapter_tokens_per_s: adapterRates, adapter_first_token_ms: adapterFirst, goosed_first_token_ms: goosedFirst, direct_first_token_ms: directFirst },
      };
    } finally {
      agent.destroy();
      await goosed.stop();
    }
  },
};
