import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aroundStoreMethod } from './support/counting-store.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, temporaryDirectory, type TestServer } from './support/goosed.js';
import { commitFrames } from './support/wal-commits.js';
import { startScriptedServer } from './support/reply-harness.js';
import { readSse } from './support/sse-client.js';

// What replies write goes to the store together: many replies streaming at once save their text
// in the same turn (observed through a Proxy on the real store that notes in which turn of the
// event loop each save of streamed text was made), and a reply's writes take few transactions
// (counted in the database's write-ahead log).

/** Turns of the event loop so far: setImmediate runs once per turn. */
let turn = 0;
let spinning: NodeJS.Immediate | null = null;
const spin = () => {
  turn++;
  spinning = setImmediate(spin);
};

const partialSaves: { messageId: string; turn: number }[] = [];
const wrapStore = aroundStoreMethod('appendMessageText', (original, sessionId, messageId, text) => {
  partialSaves.push({ messageId, turn });
  return original(sessionId, messageId, text);
});

let llm: ScriptedLlm;
let goosed: TestServer;
const dataDir = temporaryDirectory();

beforeAll(async () => {
  spin();
  llm = await startScriptedLlm();
  goosed = await startScriptedServer(llm, { wrapStore, dataDir });
});
afterAll(async () => {
  if (spinning) clearImmediate(spinning);
  await goosed?.close();
  await llm?.close();
});

const streamReply = (sessionId: string) =>
  goosed.request(`/api/sessions/${sessionId}/messages/stream`, { method: 'POST', json: { content: 'Tell me a story.' } });

describe('replies streaming at once', () => {
  it('have their streamed text saved in the same turn, not each on a timer of its own', async () => {
    const sessions = [await createSession(goosed), await createSession(goosed), await createSession(goosed)];
    // Long enough that all three stream together for several save intervals (100 ms).
    const chunks = Array.from({ length: 25 }, (_, i) => `piece${i} `);
    for (let i = 0; i < sessions.length; i++) llm.enqueue({ text: chunks, chunkDelayMs: 30 });
    partialSaves.length = 0;
    // Started one after another: each once the one before has streamed its first text.
    const replies: Promise<unknown>[] = [];
    const messageIds: string[] = [];
    for (const session of sessions) {
      const response = await streamReply(session.id);
      expect(response.status).toBe(200);
      let sawText!: () => void;
      const firstText = new Promise<void>((resolve) => (sawText = resolve));
      replies.push(
        readSse(response, (frame) => {
          if (frame.event === 'message_start') messageIds.push(frame.data.message_id);
          if (frame.event === 'content_delta') sawText();
          return frame.event === 'message_complete' || frame.event === 'error';
        }),
      );
      await firstText;
    }
    await Promise.all(replies);
    expect(messageIds).toHaveLength(3);

    const byTurn = new Map<number, Set<string>>();
    for (const save of partialSaves) byTurn.set(save.turn, (byTurn.get(save.turn) ?? new Set()).add(save.messageId));
    const together = [...byTurn.values()].filter((ids) => ids.size === 3).length;
    // While all three stream, every tick saves the three of them at once.
    expect(together, JSON.stringify(partialSaves)).toBeGreaterThanOrEqual(2);
  });
});

describe('a short reply', () => {
  it("is written in a few transactions: its start's writes together, its events together, its end's writes together", async () => {
    const session = await createSession(goosed);
    llm.enqueue({ text: ['Hello.'] });
    const wal = join(dataDir, 'goosed.db-wal');
    const before = commitFrames(wal);
    const response = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } });
    expect(await response.json()).toMatchObject({ content: 'Hello.', status: 'complete' });
    // The seq block; both messages and the running status; three events; the final message with
    // its usage and the context; message_complete; the idle status; its event. One more if the
    // text was saved while streaming (at most every 100 ms). Before: a commit per write, 13.
    expect(commitFrames(wal) - before).toBeLessThanOrEqual(8);
  });
});
