import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { readSse, type SseFrame } from './support/sse-client.js';
import { openStalledFollower } from './support/stalled-follower.js';
import { liveEventTypes } from '../src/api/events.js';

const FOLLOWER_QUEUE_BYTES = 2 * 1024 * 1024;
const OUTPUT_BYTES = 400_000;
const CALLS_PER_TURN = 8;
const TOOL_TURNS = 4;

let harness: ReplyHarness;

beforeAll(async () => {
  harness = await startReplyHarness({
    followerQueueBytes: FOLLOWER_QUEUE_BYTES,
    extensions: [{ name: 'developer', config: { allow_shell: true, max_output_bytes: 1024 * 1024 } }],
  });
});
afterAll(() => harness?.close());

const durable = (frames: SseFrame[]) => frames.filter((frame) => !liveEventTypes.has(frame.event as never)).map((frame) => `${frame.id}:${frame.event}`);
const untilReplyEnd = (frame: SseFrame) => frame.event === 'message_complete';

it('cuts off a follower that stops reading once its queue passes the bound; it rejoins with Last-Event-ID and misses no durable event', async () => {
  const { goosed, llm } = harness;
  const session = await createSession(goosed, { execution_mode: 'auto' });
  const stalled = await openStalledFollower(goosed.url, session.id);

  // 12.8 MB of tool results: more than the socket buffers between goosed and the stalled client
  // (about 4 MB on Linux loopback) and the bound together.
  const command = `head -c ${OUTPUT_BYTES} /dev/zero | tr '\\0' y`;
  const toolTurn = { toolCalls: Array.from({ length: CALLS_PER_TURN }, () => ({ name: 'developer__shell', arguments: { command } })) };
  llm.enqueue(...Array.from({ length: TOOL_TURNS }, () => toolTurn), { text: 'All the output is in.' });
  const reply = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'make a lot of output' } });
  expect(reply.status).toBe(200);

  // The reply did not wait for the stalled client. When it reads again, it finds what had reached
  // its socket before goosed closed the connection: a part of the reply, not its end.
  const cut = await stalled.readToEnd();
  expect(cut.closed).toBe(true);
  expect(cut.frames.length).toBeGreaterThan(0);
  expect(cut.frames.some(untilReplyEnd)).toBe(false);
  expect(cut.frames[0].event).toBe('user_message');
  // Every event of the reply, read by a new follower from just before it.
  const all = await readSse(await goosed.request(`/api/sessions/${session.id}/events?after=${Number(cut.frames[0].id) - 1}`), untilReplyEnd, 120_000);
  expect(all.filter((frame) => frame.event === 'tool_result')).toHaveLength(CALLS_PER_TURN * TOOL_TURNS);

  // Rejoining from the last event it saw: the rest comes from memory and from the store (the big
  // message_complete is not kept in memory), without a resync and without a gap.
  const lastSeen = cut.frames.at(-1)!.id!;
  const rejoined = await readSse(await goosed.request(`/api/sessions/${session.id}/events`, { headers: { 'last-event-id': lastSeen } }), untilReplyEnd, 120_000);
  expect(rejoined.map((frame) => frame.event)).not.toContain('resync');
  const seqs = [...cut.frames, ...rejoined].map((frame) => Number(frame.id));
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => seqs[0] + index));
  expect(durable([...cut.frames, ...rejoined])).toEqual(durable(all));
  expect(rejoined.at(-1)!.data.message).toEqual(all.at(-1)!.data.message);
}, 180_000);
