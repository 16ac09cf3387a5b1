import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Scenario } from '../scenario.js';
import { configureScriptedProvider, createSessions } from '../support/goosed-api.js';
import { startGoosed } from '../support/processes.js';
import { row, skipped } from '../support/report.js';
import { keepAliveAgent, sseRequest } from '../support/sse-request.js';
import { traceGoosedReply } from '../support/reply-client.js';
import { percentile } from '../support/stats.js';

/**
 * Two goosed on one PostgreSQL database (`--store postgres` only): a reply runs on A with a token
 * every few milliseconds; a follower of the session on A and one on B. Each event's latency across
 * instances is when B's follower got it minus when A's did (A delivers its own events as soon as
 * they are committed): the NOTIFY, B's read of the rows, its delivery. Then the replies of
 * concurrent-replies at once, half sent to A and half to B, as a load balancer would spread them.
 */
export const crossInstance: Scenario = {
  name: 'cross-instance',
  async run({ sizes, workDir, llm, goosedNodeArgs, log }) {
    if (!process.env.GOOSED_DATABASE_URL) return { rows: [skipped('cross-instance', 'event latency', 'needs --store postgres')], details: {} };
    const { tokens, chunkDelayMs } = sizes.crossInstance;
    const a = await startGoosed({ dataDir: join(workDir, 'a'), nodeArgs: goosedNodeArgs });
    const b = await startGoosed({ dataDir: join(workDir, 'b'), nodeArgs: goosedNodeArgs });
    try {
      await configureScriptedProvider(a.url, llm.url);
      const [sessionId] = await createSessions(a.url, 1);
      const seenOn = (url: string, arrivals: Map<string, number>) => {
        let opened!: () => void;
        const open = new Promise<void>((resolve) => (opened = resolve));
        const done = sseRequest(`${url}/api/sessions/${sessionId}/events`, {
          onEvent: (event, receivedAt) => {
            opened();
            if (event.id) arrivals.set(event.id, receivedAt);
            return event.event !== 'message_complete';
          },
          timeoutMs: 120_000,
        });
        return { open, done };
      };
      const onA = new Map<string, number>();
      const onB = new Map<string, number>();
      const followA = seenOn(a.url, onA);
      const followB = seenOn(b.url, onB);
      // Both followers are in place (a first event proves it): a rename each instance delivers, again
      // until both got one (one made before a follower subscribed never reaches it).
      const bothOpen = Promise.all([followA.open, followB.open]).then(() => true);
      for (let attempt = 1; ; attempt++) {
        await fetch(`${a.url}/api/sessions/${sessionId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `ready ${attempt}` }) });
        if (await Promise.race([bothOpen, sleep(1000).then(() => false)])) break;
        if (attempt === 30) throw new Error('the followers on A and B got no event from 30 renames');
      }
      log(`a reply of ${tokens} tokens, one every ${chunkDelayMs} ms, on A; followers on A and B`);
      await llm.serve({ tokens, chunkDelayMs, stamped: false });
      const sent = await fetch(`${a.url}/api/sessions/${sessionId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'go' }) });
      if (sent.status !== 200) throw new Error(`the reply on A failed: ${sent.status} ${await sent.text()}`);
      await Promise.all([followA.done, followB.done]);
      const latencies = [...onA].filter(([id]) => onB.has(id)).map(([id, at]) => onB.get(id)! - at);
      if (latencies.length < tokens / 2) throw new Error(`B got ${latencies.length} of A's ${onA.size} events`);
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);

      const { sessions: count, tokens: replyTokens, tokenIntervalMs } = sizes.concurrentReplies;
      log(`${count} replies × ${replyTokens} tokens at once, half on A, half on B`);
      const spread = await createSessions(a.url, count);
      await llm.serve({ tokens: replyTokens, chunkDelayMs: tokenIntervalMs, stamped: true });
      const agent = keepAliveAgent();
      const delays: number[] = [];
      const started = performance.now();
      const traces = await Promise.all(
        spread.map((id, index) =>
          traceGoosedReply(index % 2 === 0 ? a.url : b.url, id, {
            agent,
            timeoutMs: replyTokens * tokenIntervalMs * 10 + 30_000,
            onToken: (text, receivedAt) => delays.push(receivedAt - Number.parseFloat(text)),
          }),
        ),
      );
      const spreadSeconds = (performance.now() - started) / 1000;
      const completed = traces.filter((trace) => trace.status === 200 && trace.completed && trace.tokens === replyTokens).length;
      const delayP99 = percentile(delays, 99);
      const firstTokens = traces.filter((trace) => trace.completed).map((trace) => trace.firstTokenAt - trace.sentAt);
      const firstP99 = percentile(firstTokens, 99);
      return {
        rows: [
          row({ scenario: 'cross-instance', metric: `${count} replies × ${replyTokens} tokens over A and B: completed`, unit: '', goosed: completed, target: `all ${count}`, pass: completed === count, ratio: false }),
          row({ scenario: 'cross-instance', metric: 'same, token delay p99 (due on the wire → client)', unit: 'ms', goosed: delayP99, target: '< 50 ms', pass: delayP99 < 50, ratio: false }),
          row({ scenario: 'cross-instance', metric: 'same, first token p99', unit: 'ms', goosed: firstP99, ratio: false, note: `p50 ${percentile(firstTokens, 50).toFixed(0)} ms` }),
          row({ scenario: 'cross-instance', metric: 'same, all done', unit: 's', goosed: spreadSeconds, ratio: false, note: `provider pace: ${((replyTokens * tokenIntervalMs) / 1000).toFixed(1)} s` }),
          row({ scenario: 'cross-instance', metric: 'event latency A → follower on B, p50', unit: 'ms', goosed: p50, ratio: false }),
          row({ scenario: 'cross-instance', metric: 'event latency A → follower on B, p99', unit: 'ms', goosed: p99, target: '< 10 ms', pass: p99 < 10, ratio: false }),
        ],
        details: {
          events: latencies.length, p50_ms: p50, p99_ms: p99, max_ms: Math.max(...latencies),
          spread: {
            count, completed, seconds: spreadSeconds, statuses: [...new Set(traces.map((trace) => trace.status))], timed_out: traces.filter((trace) => trace.timedOut).length,
            delay_p50_ms: percentile(delays, 50), delay_p99_ms: delayP99, first_token_p50_ms: percentile(firstTokens, 50), first_token_p99_ms: firstP99,
          },
          error_log: { a: a.errorLog(), b: b.errorLog() },
        },
      };
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  },
};
