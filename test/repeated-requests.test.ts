import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, temporaryDirectory, waitFor } from './support/goosed.js';
import { startScriptedServer } from './support/reply-harness.js';
import { isReplyEnd, readSse } from './support/sse-client.js';

// A request sent again with the same message id, once its reply has ended, gets that reply's end:
// the same event its own stream ended with.

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm?.close();
});

describe('a repeated request for a reply that ended', () => {
  it('interrupted by a shutdown: gets the same error event, code interrupted', async () => {
    const dataDir = temporaryDirectory();
    const first = await startScriptedServer(llm, { dataDir, shutdownGraceMs: 50 });
    const session = await createSession(first);
    const send = { method: 'POST', json: { content: 'go', id: 'sent-once' } };
    llm.enqueue({ text: ['partial ', 'never sent'], fault: { kind: 'stall_after', chunks: 1 } });
    const reading = readSse(await first.request(`/api/sessions/${session.id}/messages/stream`, send), isReplyEnd);
    const messages = async () => (await (await first.request(`/api/sessions/${session.id}/messages`)).json()) as { content: string }[];
    await waitFor(messages, (list) => list[1]?.content === 'partial ');
    await first.close();
    const original = (await reading).at(-1)!;
    expect(original).toMatchObject({ event: 'error', data: { code: 'interrupted' } });

    const second = await startTestServer({ dataDir });
    try {
      const repeated = await readSse(await second.request(`/api/sessions/${session.id}/messages/stream`, send));
      expect(repeated.map((frame) => frame.event)).toEqual(['error']);
      const { seq: _seq, created_at: _at, ...end } = repeated[0].data;
      const { seq: _originalSeq, created_at: _originalAt, ...originalEnd } = original.data;
      expect(end).toEqual(originalEnd);
    } finally {
      await second.close();
    }
  });
});
