// Streamed text under load (TextRelayPacer): relayed as it arrives while the server keeps up; held
// for a shared tick once the event loop is saturated, except a reply's first text.
import { afterEach, describe, expect, it } from 'vitest';
import { TextRelayPacer } from '../src/agent/text-relay-pacer.js';
import { createSession, waitFor } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { readSse } from './support/sse-client.js';

const WINDOW_MS = 2500;
let harness: ReplyHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** Streams a reply whose provider sends three chunks 150 ms apart and then stalls; the deltas and when each arrived. */
async function streamThreeChunks(h: ReplyHarness, sessionId: string): Promise<{ delta: string; at: number }[]> {
  h.llm.enqueue({ text: ['a ', 'b ', 'c '], chunkDelayMs: 150, fault: { kind: 'stall_after', chunks: 3 } });
  const deltas: { delta: string; at: number }[] = [];
  const response = await h.goosed.request(`/api/sessions/${sessionId}/messages/stream`, { method: 'POST', json: { content: 'go' } });
  await readSse(response, (frame) => {
    if (frame.event === 'content_delta') deltas.push({ delta: frame.data.delta, at: performance.now() });
    return deltas.map((d) => d.delta).join('') === 'a b c ';
  }, 20_000);
  expect((await h.goosed.request(`/api/sessions/${sessionId}/cancel`, { method: 'POST' })).status).toBe(200);
  return deltas;
}

describe('streamed text on a server that keeps up', () => {
  it('goes out as it arrives', async () => {
    harness = await startReplyHarness({ textRelay: { utilization: () => 0, sampleMs: 5, maxWindowMs: WINDOW_MS } });
    const session = await createSession(harness.goosed);
    const deltas = await streamThreeChunks(harness, session.id);
    expect(deltas.at(-1)!.at - deltas[0].at).toBeLessThan(WINDOW_MS * 0.6);
  });
});

describe('streamed text on a saturated server', () => {
  it('waits for the shared tick after the reply has sent its first text, and is sent whole', async () => {
    harness = await startReplyHarness({ textRelay: { utilization: () => 1, sampleMs: 5, maxWindowMs: WINDOW_MS } });
    const session = await createSession(harness.goosed);
    // A first reply sets the pacer sampling (the load is only looked at while text streams); its
    // last held text may start a tick, which is let pass.
    harness.llm.enqueue({ text: ['w1 ', 'w2 ', 'w3 '], chunkDelayMs: 50 });
    await readSse(await harness.goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'warm' } }), (frame) => frame.event === 'message_complete');
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 200));

    const deltas = await streamThreeChunks(harness, session.id);
    // The first text at once; the next two, 150 and 300 ms later, held together for the tick.
    expect(deltas.map((d) => d.delta)).toEqual(['a ', 'b c ']);
    expect(deltas[1].at - deltas[0].at).toBeGreaterThan(WINDOW_MS * 0.6);
    const messages = (await (await harness.goosed.request(`/api/sessions/${session.id}/messages`)).json()) as { role: string; content: string }[];
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: 'a b c ' });
  }, 20_000);
});

describe('the pacer', () => {
  it('opens a window while the loop is busy, doubles it, halves it as the load eases, then closes it and stops looking', async () => {
    const loads = [1, 1, 1, 1, 0.7, 0.3, 0.3, 0.3, 0.3];
    const windows: number[] = [];
    let pacer: TextRelayPacer | null = null;
    pacer = new TextRelayPacer({
      sampleMs: 5,
      maxWindowMs: 40,
      utilization: () => {
        // Each sample sees the window the previous one left, then the load it is given.
        windows.push(pacer!.windowMs);
        return loads.shift() ?? 0;
      },
    });
    const relayed: number[] = [];
    const reply = { relayHeld: () => relayed.push(performance.now()) };
    expect(pacer.offer(reply)).toBe(true);
    await waitFor(() => loads.length === 1);
    // 8, 16, 32, 40 (the cap), kept at 0.7, 20, 10, then closed (under 8).
    expect(windows).toEqual([0, 8, 16, 32, 40, 40, 20, 10]);
    expect(pacer.windowMs).toBe(0);
    // Sampling stopped once the window was closed and no text had come for a whole sample.
    const samples = windows.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(windows.length).toBe(samples);
    pacer.close();
  });

  it('holds text offered while the window is open and relays it at the tick, or at close', async () => {
    const pacer = new TextRelayPacer({ sampleMs: 5, maxWindowMs: 1000, utilization: () => 1 });
    const first = { count: 0, relayHeld() { this.count++; } };
    expect(pacer.offer(first)).toBe(true);
    await waitFor(() => pacer.windowMs === 1000);
    expect(pacer.offer(first)).toBe(false);
    const second = { count: 0, relayHeld() { this.count++; } };
    expect(pacer.offer(second)).toBe(false);
    expect([first.count, second.count]).toEqual([0, 0]);
    pacer.close();
    expect([first.count, second.count]).toEqual([1, 1]);
  });
});
