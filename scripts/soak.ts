// `npm run soak [-- --quick] [--minutes N] [--sessions N] [--rotate N]`: goosed (the built
// dist/cli.js, as a process) serves 100 sessions that reply without pause, each reply a tool round
// trip (the scripted LLM asks for developer__shell `echo`, execution mode auto, then answers), for
// 10 minutes (quick: 1 minute). goosed's resident memory and open descriptors are sampled from /proc.
// The run fails when a reply does not complete, or when the heap (after a full collection, read
// through the inspector), resident memory or the descriptors grow after warm-up.
//
// Each session is deleted and replaced after `--rotate` replies (default 10): the run reaches a
// steady state (one session's history does not grow without end), covers creating and deleting
// sessions, and per-session memory that is never released shows as growth. Memory and descriptors
// are compared at rest (the load paused until no reply is in flight) right after warm-up and at the
// end: in flight, each reply holds sockets, pipes and buffers, and the figures swing with the load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startScriptedLlm, type RecordedRequest, type ScriptedTurn } from '../test/support/scripted-llm.js';
import { spawnBundledGoosed } from '../test/support/goosed-bundle.js';
import { describeFds, judgeRss, sampleProcess, type ProcessSample } from './support/process-sampler.js';
import { ReplyLoad } from './support/reply-load.js';
import { connectHeapProbe } from './support/heap-probe.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const quick = args.includes('--quick');
const minutes = option('minutes', quick ? 1 : 10);
const durationMs = minutes * 60_000;
const warmUpSeconds = Math.round((durationMs / 1000) * (quick ? 0.3 : 0.2));
const sampleEveryMs = quick ? 2000 : 5000;
const REST_MS = 6000;
const heapEveryMs = quick ? 15_000 : 60_000;

/** Tool call first; once the tool result is in the conversation, the closing text. */
function scriptedTurn(request: RecordedRequest): ScriptedTurn {
  if ((request.body.messages as any[]).at(-1)?.role === 'tool') return { text: 'The echo worked, as it always does. Next one, please.' };
  return { toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo soak' } }] };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'goosed-soak-'));
  const llm = await startScriptedLlm();
  llm.setFallback(scriptedTurn);
  const bundle = { file: join(import.meta.dirname, '..', 'dist', 'cli.js'), remove: () => {} };
  // The inspector (loopback, a free port) lets the run read goosed's heap after a full collection.
  const goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')], { NODE_OPTIONS: '--inspect=127.0.0.1:0' });
  const heap = await connectHeapProbe(goosed.stderr);
  const pid = goosed.child.pid!;
  const alive = () => goosed.child.exitCode === null && goosed.child.signalCode === null;
  const api = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${goosed.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

  try {
    await api('/api/providers', 'POST', { name: 'openai', api_key: 'sk-soak-0000000000000000', model: 'scripted', base_url: `${llm.url}/v1` });
    await api('/api/extensions', 'POST', { name: 'developer', config: { allow_shell: true } });
    const started = Date.now();
    const load = new ReplyLoad(api, { sessions: option('sessions', 100), rotateAfter: option('rotate', 10), keepGoing: () => alive() && Date.now() - started < durationMs });
    console.log(`goosed pid ${pid}: ${option('sessions', 100)} sessions for ${minutes} min (warm-up ${warmUpSeconds} s), a sample every ${sampleEveryMs / 1000} s`);

    const samples: ProcessSample[] = [];
    const sample = () => {
      if (!alive()) return;
      samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), done: load.completed, ...sampleProcess(pid) });
      const last = samples.at(-1)!;
      console.log(`${String(last.atSeconds).padStart(5)} s  rss ${last.rssMiB.toFixed(1).padStart(7)} MiB  fds ${String(last.fds).padStart(4)}  replies ${last.done}`);
    };
    sample();
    const sampler = setInterval(sample, sampleEveryMs);
    const heapTrend: { atSeconds: number; heapMiB: number }[] = [];
    const heapSampler = setInterval(async () => {
      if (alive()) heapTrend.push({ atSeconds: Math.round((Date.now() - started) / 1000), heapMiB: await heap.heapAfterGcMiB() });
      // The scripted model keeps every request it answered; the soak does not need them.
      (llm.requests as unknown[]).length = 0;
    }, heapEveryMs);
    const running = load.run();

    await sleep(warmUpSeconds * 1000);
    await load.pause();
    // Longer than the keep-alive timeouts (5 s server side, 4 s in fetch): idle connections close.
    await sleep(REST_MS);
    const atRestAfterWarmUp = alive() ? { ...sampleProcess(pid), kinds: describeFds(pid), heapMiB: await heap.heapAfterGcMiB() } : { rssMiB: NaN, fds: NaN, kinds: {}, heapMiB: NaN };
    load.resume();
    await running;
    clearInterval(sampler);
    clearInterval(heapSampler);
    await sleep(REST_MS);
    const atRestAtEnd = alive() ? { ...sampleProcess(pid), kinds: describeFds(pid), heapMiB: await heap.heapAfterGcMiB() } : { rssMiB: NaN, fds: NaN, kinds: {}, heapMiB: NaN };

    const rss = judgeRss(samples, warmUpSeconds);
    // Like with like: at rest after warm-up against at rest at the end (under load, memory follows
    // how much is in flight, and the engine's heap sizing follows the allocation rate).
    const rssAtRestGrowth = Math.round((atRestAtEnd.rssMiB - atRestAfterWarmUp.rssMiB) * 10) / 10;
    const rssFlat = rssAtRestGrowth <= Math.max(atRestAfterWarmUp.rssMiB * 0.1, 24);
    const fdsFlat = atRestAtEnd.fds - atRestAfterWarmUp.fds <= 5;
    const heapGrowth = Math.round((atRestAtEnd.heapMiB - atRestAfterWarmUp.heapMiB) * 10) / 10;
    const heapFlat = heapGrowth <= Math.max(atRestAfterWarmUp.heapMiB * 0.1, 8);
    const seconds = (Date.now() - started) / 1000;
    console.log(JSON.stringify({
      minutes, sessionsUsed: load.sessionsUsed, replies: load.completed, failedReplies: load.failures.length, networkRetries: load.networkRetries, repliesPerSecond: Math.round((load.completed / seconds) * 10) / 10,
      rss: {
        first: samples[0].rssMiB, atRestAfterWarmUp: atRestAfterWarmUp.rssMiB, atRestAtEnd: atRestAtEnd.rssMiB, atRestGrowthMiB: rssAtRestGrowth, flat: rssFlat,
        underLoad: { afterWarmUp: rss.start, end: rss.end, growthMiB: rss.growthMiB, slopeMiBPerMinute: rss.slopeMiBPerMinute },
      },
      heapAfterGc: { atRestAfterWarmUp: atRestAfterWarmUp.heapMiB, atRestAtEnd: atRestAtEnd.heapMiB, growthMiB: heapGrowth, flat: heapFlat, trend: heapTrend.map((h) => `${h.atSeconds}s ${h.heapMiB}`).join(', ') },
      fds: {
        first: samples[0].fds, atRestAfterWarmUp: atRestAfterWarmUp.fds, atRestAtEnd: atRestAtEnd.fds, maxInFlight: Math.max(...samples.map((s) => s.fds)), flat: fdsFlat,
        kindsAfterWarmUp: atRestAfterWarmUp.kinds, kindsAtEnd: atRestAtEnd.kinds,
      },
    }, null, 2));
    for (const failure of load.failures.slice(0, 10)) console.log(`failed: ${failure}`);
    process.exitCode = alive() && load.failures.length === 0 && heapFlat && rssFlat && fdsFlat ? 0 : 1;
  } finally {
    heap.close();
    goosed.child.kill('SIGTERM');
    const code = await goosed.exited;
    if (code !== 0) console.log(`goosed exited with ${code}: ${goosed.stderr().slice(-4000)}`);
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
