// WebSocket frames get the same nesting bound as HTTP bodies: a frame nested too deep is answered
// with an `error` event (json_too_deep) before it is parsed, and the connection stays open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, removeDirectory, startTestServer, temporaryDirectory, useScriptedProvider, type TestServer } from './support/goosed.js';
import { connectWs, type WsClient } from './support/ws-client.js';

let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startTestServer();
  workDir = temporaryDirectory('goosed-ws-depth-');
  await useScriptedProvider(goosed, llm.url);
});
afterAll(async () => {
  await goosed.close();
  await llm.close();
  removeDirectory(workDir);
});

/** `levels` arrays, one inside the other, around `inner`. */
const nested = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

const openSession = async (): Promise<{ sessionId: string; client: WsClient }> => {
  const session = await createSession(goosed, { working_directory: workDir });
  return { sessionId: session.id, client: await connectWs(goosed, `/api/sessions/${session.id}/stream`) };
};

/** Sends a raw text frame and returns the error event it got. */
const refusalOf = async (client: WsClient, frame: string) => {
  const from = client.events.length;
  client.send(frame);
  return client.waitForEvent((event) => event.type === 'error', { from });
};

const messageCount = async (sessionId: string) => (await (await goosed.request(`/api/sessions/${sessionId}`)).json()).message_count;

describe('WebSocket frames nested too deep', () => {
  it('refuses them with json_too_deep, starts nothing, and keeps the connection open', async () => {
    const { sessionId, client } = await openSession();
    const limit = goosed.server.context.sockets.options.maxJsonDepth;
    expect(limit).toBe(64);
    const frames = [
      nested(limit + 1),
      nested(100_000),
      // A million levels: refused at once, never handed to JSON.parse.
      nested(1_000_000),
      `{"type":${nested(10_000)}}`,
      // Valid in every other way: without the bound this would start a reply (extra fields are dropped).
      `{"type":"message","content":"hello","extra":${nested(limit)}}`,
    ];
    for (const frame of frames) {
      const error = await refusalOf(client, frame);
      expect(error, frame.slice(0, 80)).toMatchObject({ code: 'json_too_deep', session_id: sessionId, seq: expect.any(Number) });
      expect(error.error).toBe(`The frame is nested deeper than ${limit} levels.`);
      expect(error.message_id).toBeUndefined();
    }
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(await messageCount(sessionId)).toBe(0);

    // Still open, and still working.
    client.send({ type: 'cancel' });
    expect(await client.waitForEvent((event) => event.code === 'no_running_reply')).toBeTruthy();
    client.ws.close();
  });

  it('accepts a frame exactly at the limit, and does not count brackets inside strings', async () => {
    const { sessionId, client } = await openSession();
    const limit = goosed.server.context.sockets.options.maxJsonDepth;
    // The frame object is level 1: an extra field nested limit - 1 deep brings it to exactly the limit.
    client.send(`{"type":"cancel","extra":${nested(limit - 1)}}`);
    expect(await client.waitForEvent((event) => event.type === 'error')).toMatchObject({ code: 'no_running_reply' });

    llm.enqueue({ text: 'Brackets are fine.' });
    const content = `${'[{'.repeat(5_000)} "\\"[" ${'}]'.repeat(5_000)}`;
    client.send({ type: 'message', content });
    const complete = await client.waitForEvent((event) => event.type === 'message_complete');
    expect(complete.message.content).toBe('Brackets are fine.');
    const history = await (await goosed.request(`/api/sessions/${sessionId}/messages`)).json();
    expect(history[0]).toMatchObject({ role: 'user', content });
    client.ws.close();
  });
});
