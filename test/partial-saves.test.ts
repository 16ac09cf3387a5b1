import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aroundStoreMethod } from './support/counting-store.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startScriptedServer } from './support/reply-harness.js';
import { readSse } from './support/sse-client.js';

// While a reply streams, its text is saved every 100 ms as the piece added since the save before
// (Store.appendMessageText), not as the whole message again. A piece the store fails to take must
// not leave a hole: it is saved with the next one. The faults are made by a Proxy in front of the
// real store that refuses some calls (the store itself runs unchanged); the reply is read back
// through the API while it streams.

let refuseAppends = 0;
let refused = 0;
const wrapStore = aroundStoreMethod('appendMessageText', (original, sessionId, messageId, text) => {
  if (refuseAppends === 0) return original(sessionId, messageId, text);
  refuseAppends--;
  refused++;
  return Promise.reject(new Error('disk I/O error (refused by the test)'));
});

let llm: ScriptedLlm;
let goosed: TestServer;

beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startScriptedServer(llm, { wrapStore });
});
afterAll(async () => {
  await goosed?.close();
  await llm?.close();
});

const pieces = Array.from({ length: 60 }, (_, i) => `piece${i} `);
/** The first `count` pieces: what any save of the reply must read as. */
const beginning = (count: number) => pieces.slice(0, count).join('');

describe('saving the text of a streaming reply', () => {
  it('keeps the stored reply a beginning of its text, with no hole, when the store refuses some saves', async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: pieces, chunkDelayMs: 15 });
    const stream = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'Count.' } });
    expect(stream.status).toBe(200);
    const ended = readSse(stream, (frame) => frame.event === 'message_complete' || frame.event === 'error');

    const seen: { status: string; content: string }[] = [];
    let refusalsAt = -1;
    for (;;) {
      const messages = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
      const reply = messages[1];
      if (reply) {
        seen.push({ status: reply.status, content: reply.content });
        // Every read is the stream's beginning, in one text part.
        const count = reply.content.split(' ').length - 1;
        expect(reply.content).toBe(beginning(count));
        if (reply.content !== '') expect(reply.parts).toEqual([{ type: 'text', text: reply.content }]);
        // Once some text is saved, the next three saves of streamed text fail.
        if (refusalsAt < 0 && reply.content !== '') {
          refusalsAt = seen.length;
          refuseAppends = 3;
        }
        if (reply.status !== 'running') break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ended;

    expect(refused).toBe(3);
    const final = seen.at(-1)!;
    expect(final).toEqual({ status: 'complete', content: beginning(pieces.length) });
    // After the refusals, saves while it still streamed caught up past what was refused.
    const afterRefusals = seen.slice(refusalsAt).filter((read) => read.status === 'running').map((read) => read.content.length);
    expect(Math.max(...afterRefusals)).toBeGreaterThan(seen[refusalsAt - 1].content.length);
  });
});
