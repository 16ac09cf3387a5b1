import { join } from 'node:path';
import type { Scenario } from '../scenario.js';
import { configureScriptedProvider, createSessions } from '../support/goosed-api.js';
import { startGoosed } from '../support/processes.js';
import { traceAdapterReply, traceDirectReply, traceGoosedReply, type ReplyTrace } from '../support/reply-client.js';
import { row } from '../support/report.js';
import { keepAliveAgent } from '../support/sse-request.js';
import { median, percentile } from '../support/stats.js';
import { DriverEvents, throughFirstText } from '../support/driver-events.js';

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
    // On PostgreSQL, a session more per measured reply: its events are written again there through the
    // driver, in the batches goosed's news announced (heard from before the first reply).
    const databaseUrl = process.env.GOOSED_DATABASE_URL;
    const driver = databaseUrl ? await DriverEvents.open(databaseUrl) : null;
    try {
      await configureScriptedProvider(goosed.url, llm.url);
      const replays = databaseUrl ? runs + firstTokenSamples : 0;
      const sessions = await createSessions(goosed.url, 2 + warmupRuns + runs + 2 * firstTokenSamples + replays);
      const replaySessions = sessions.splice(0, replays);
      const nextSession = () => sessions.pop()!;
      const relaySessions: string[] = [];
      const firstTokenSessions: string[] = [];
      const measured = (into: string[]) => {
        const id = nextSession();
        into.push(id);
        return id;
      };
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
        goosedRates.push(rate(check(await traceGoosedReply(goosed.url, measured(relaySessions), { agent }), tokens, 'via goosed')));
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
        const relayed = check(await traceGoosedReply(goosed.url, measured(firstTokenSessions), { agent }), 20, 'via goosed');
        goosedFirst.push(relayed.firstTokenAt - relayed.sentAt);
      }
      const goosedRate = median(goosedRates);
      const directRate = median(directRates);
      const firstP50 = median(goosedFirst);
      const directFirstP50 = median(directFirst);
      const scenario = 'stream-relay';
      const label = 'provider read directly';
      const onDriver = driver ? await driverBaselines(driver, { relaySessions, firstTokenSessions, replaySessions, tokens, log }) : null;
      const driverRows = onDriver
        ? [
            row({
              scenario, metric: 'same reply, against its event writes through node-postgres', unit: 'tokens/s', goosed: goosedRate, baseline: median(onDriver.writeRates),
              baselineLabel: "goosed's appends of the reply, same batches, via pg", note: `${median(onDriver.statements)} statements for ${median(onDriver.events)} events`,
            }),
            row({
              scenario, metric: 'same reply, against reading its events back through node-postgres', unit: 'tokens/s', goosed: goosedRate, baseline: median(onDriver.readRates),
              baselineLabel: 'the read of a follower on another instance, via pg',
            }),
            row({
              scenario, metric: 'time to first token p50, against the provider plus the event writes before it', unit: 'ms', goosed: firstP50,
              baseline: directFirstP50 + median(onDriver.firstWritesMs), baselineLabel: 'provider read directly + those appends via pg',
              note: `the appends: ${median(onDriver.firstWritesMs).toFixed(2)} ms (${median(onDriver.firstStatements)} statements); added ${(firstP50 - directFirstP50 - median(onDriver.firstWritesMs)).toFixed(2)} ms`,
            }),
          ]
        : [];
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
          ...driverRows,
        ],
        details: {
          tokens, goosed_tokens_per_s: goosedRates, direct_tokens_per_s: directRates, adapter_tokens_per_s: adapterRates, adapter_first_token_ms: adapterFirst,
          goosed_first_token_ms: goosedFirst, direct_first_token_ms: directFirst, ...(onDriver ? { driver: onDriver } : {}),
        },
      };
    } finally {
      await driver?.close();
      agent.destroy();
      await goosed.stop();
    }
  },
};

interface DriverReplays {
  relaySessions: string[];
  firstTokenSessions: string[];
  replaySessions: string[];
  tokens: number;
  log(message: string): void;
}

/**
 * On PostgreSQL: each measured reply's events appended again, in goosed's batches, to a session of
 * their own straight through node-postgres, and read back; for the short replies, only the appends
 * up to the first text (what a follower waits for before its first token).
 */
async function driverBaselines(driver: DriverEvents, { relaySessions, firstTokenSessions, replaySessions, tokens, log }: DriverReplays) {
  log('the same event writes and reads through node-postgres');
  const writeRates: number[] = [];
  const readRates: number[] = [];
  const statements: number[] = [];
  const events: number[] = [];
  for (const id of relaySessions) {
    const batches = await driver.batches(id);
    const into = replaySessions.pop()!;
    writeRates.push(tokens / ((await driver.append(into, batches)) / 1000));
    readRates.push(tokens / ((await driver.read(into)).ms / 1000));
    statements.push(batches.length);
    events.push(batches.reduce((sum, batch) => sum + batch.events.length, 0));
  }
  const firstWritesMs: number[] = [];
  const firstStatements: number[] = [];
  let firstBatchTypes: string[][] = [];
  for (const id of firstTokenSessions) {
    const before = throughFirstText(await driver.batches(id));
    firstWritesMs.push(await driver.append(replaySessions.pop()!, before));
    firstStatements.push(before.length);
    firstBatchTypes = before.map((batch) => batch.types);
  }
  return { writeRates, readRates, statements, events, firstWritesMs, firstStatements, first_token_batches: firstBatchTypes };
}
