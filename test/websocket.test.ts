import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, startScriptedServer, type ReplyHarness } from './support/reply-harness.js';
import { mergeDeltaRuns } from './support/delta-runs.js';
import { readSse } from './support/sse-client.js';
import { connectWs, isReplyEnd, wsUrl, type WsClient } from './support/ws-client.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let workDir: string;

beforeAll(async () => {
  harness = await startReplyHarness({ workDirectoryPrefix: 'goosed-ws-', extensions: [{ name: 'developer', config: { allow_shell: true } }] });
  ({ llm, goosed, workDir } = harness);
});
afterAll(() => harness?.close());

const streamPath = (sessionId: string) => `/api/sessions/${sessionId}/stream`;
const open = async (sessionId: string, options?: Parameters<typeof connectWs>[2]) => connectWs(goosed, streamPath(sessionId), options);
const autoSession = () => createSession(goosed, { execution_mode: 'auto', working_directory: workDir });
const types = (events: any[]) => events.map((event) => event.type);
/** The events up to and including the end of the reply (`message_complete` or its `error`). */
const untilReplyEnd = (events: any[]) => events.slice(0, events.findIndex(isReplyEnd) + 1);


/**
 * The end of the reply, once its session has gone idle too: the reply's last event (on PostgreSQL
 * it may follow the end by a few round trips, and a client that acts on the end alone sees it later).
 */
async function settled(client: WsClient): Promise<any> {
  const end = await client.waitForEvent(isReplyEnd);
  await client.waitForEvent((event) => event.type === 'session_updated' && event.session.status === 'idle', { from: client.events.indexOf(end) });
  return end;
}

describe("the seed's client flow", () => {
  it('a message frame streams content_delta, tool_use and message_complete back as JSON text frames', async () => {
    const session = await autoSession();
    llm.enqueue(
      { toolCalls: [{ name: 'developer__create', arguments: { path: 'main.py', file_text: 'print("hi")\n' } }] },
      { text: ["I'll create", ' a function'] },
    );
    const client = await open(session.id);
    client.send({ type: 'message', content: 'Create a function...' });
    const complete = await client.waitForEvent((event) => event.type === 'message_complete');

    const reply = untilReplyEnd(client.events);
    expect(mergeDeltaRuns(types(reply))).toEqual(['user_message', 'message_start', 'session_updated', 'tool_use', 'tool_result', 'content_delta', 'message_complete']);
    expect(reply.find((e) => e.type === 'tool_use')).toMatchObject({ type: 'tool_use', tool: 'developer__create', arguments: { path: 'main.py', file_text: 'print("hi")\n' } });
    expect(reply.filter((e) => e.type === 'content_delta').map((e) => e.delta).join('')).toBe("I'll create a function");
    expect(complete.message).toMatchObject({ role: 'assistant', content: "I'll create a function", status: 'complete' });
    expect(readFileSync(join(workDir, 'main.py'), 'utf8')).toBe('print("hi")\n');
    // The envelope of section 3, numbered strictly increasing.
    for (const event of reply) expect(event).toMatchObject({ session_id: session.id, seq: expect.any(Number), created_at: expect.any(String) });
    const seqs = reply.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // The same reply is in the history.
    const history = await (await goosed.request(`/api/sessions/${session.id}/messages`)).json();
    expect(history.at(-1)).toMatchObject({ id: complete.message.id, content: "I'll create a function", status: 'complete' });
    client.ws.close();
  });

  it('the client may send several messages, one after the other, on one connection', async () => {
    const session = await autoSession();
    llm.enqueue({ text: 'First.' }, { text: 'Second.' });
    const client = await open(session.id);
    client.send({ type: 'message', content: 'one' });
    await client.waitForEvent(isReplyEnd);
    const from = client.events.length;
    client.send({ type: 'message', content: 'two' });
    const second = await client.waitForEvent(isReplyEnd, { from });
    expect(second.message.content).toBe('Second.');
    client.ws.close();
  });
});

describe('frames the server refuses', () => {
  it('answers each bad frame with an error event and keeps the connection open', async () => {
    const session = await autoSession();
    const client = await open(session.id);
    const refusals: [unknown, string, RegExp][] = [
      ['this is not json', 'invalid_frame', /not valid JSON/],
      [Buffer.from([1, 2, 3]), 'invalid_frame', /Binary frames/],
      ['[1,2]', 'invalid_frame', /JSON object with a string "type"/],
      [{ type: 'dance' }, 'invalid_frame', /Unknown frame type "dance"/],
      [{ type: 'message' }, 'invalid_frame', /message frame: content/],
      [{ type: 'message', content: '' }, 'invalid_frame', /content/],
      [{ type: 'approval', id: 'x' }, 'invalid_frame', /decision/],
      [{ type: 'approval', id: 'x', decision: 'maybe' }, 'invalid_frame', /decision/],
      [{ type: 'resume', after: -1 }, 'invalid_frame', /after/],
      [{ type: 'resume', after: 'soon' }, 'invalid_frame', /after/],
    ];
    for (const [frame, code, pattern] of refusals) {
      const from = client.events.length;
      if (Buffer.isBuffer(frame)) client.ws.send(frame, { binary: true });
      else client.send(frame);
      const error = await client.waitForEvent((event) => event.type === 'error', { from });
      expect(error, JSON.stringify(frame)).toMatchObject({ code, session_id: session.id });
      expect(error.error).toMatch(pattern);
      expect(error.message_id).toBeUndefined();
    }
    // Still open, and still working.
    llm.enqueue({ text: 'Still here.' });
    const from = client.events.length;
    client.send({ type: 'message', content: 'are you there?' });
    expect((await client.waitForEvent(isReplyEnd, { from })).message.content).toBe('Still here.');
    client.ws.close();
  });

  it('refuses a frame over the size limit with frame_too_large, and stays open', async () => {
    const session = await autoSession();
    const client = await open(session.id);
    const limit = goosed.server.context.sockets.options.maxFrameBytes;
    client.send({ type: 'message', content: 'x'.repeat(limit + 10) });
    const error = await client.waitForEvent((event) => event.type === 'error');
    expect(error).toMatchObject({ code: 'frame_too_large' });
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    // Nothing was started from it.
    expect((await (await goosed.request(`/api/sessions/${session.id}`)).json()).message_count).toBe(0);
    client.send({ type: 'cancel' });
    expect(await client.waitForEvent((event) => event.type === 'error' && event.code === 'no_running_reply')).toBeTruthy();
    // Past twice the limit the frame is not even read: the protocol's own close, 1009.
    client.send('x'.repeat(limit * 2 + 1));
    expect((await client.closed).code).toBe(1009);
  });
});

describe('the upgrade passes the same checks as HTTP', () => {
  it('refuses a foreign Origin with 403 and accepts the server\'s own origin', async () => {
    const session = await autoSession();
    await expect(open(session.id, { origin: 'http://evil.example' })).rejects.toMatchObject({ status: 403 });
    const own = await open(session.id, { origin: goosed.url });
    expect(own.ws.readyState).toBe(WebSocket.OPEN);
    own.ws.close();
  });

  it('refuses a Host this server does not answer to (DNS rebinding) with 403', async () => {
    const session = await autoSession();
    await expect(open(session.id, { headers: { host: 'rebind.example:8080' } })).rejects.toMatchObject({ status: 403 });
  });

  it('answers a plain GET on the path with 426 upgrade_required', async () => {
    const session = await autoSession();
    const response = await goosed.request(streamPath(session.id));
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ code: 'upgrade_required' });
  });

  it('closes with 4404 and a reason for an unknown session', async () => {
    const client = await open('no-such-session');
    expect(await client.closed).toEqual({ code: 4404, reason: expect.stringContaining('session_not_found') });
  });

  it('refuses a bad ?after= with 400 before upgrading', async () => {
    const session = await autoSession();
    await expect(connectWs(goosed, `${streamPath(session.id)}?after=soon`)).rejects.toMatchObject({ status: 400 });
  });
});

describe('with a secret key', () => {
  let keyed: TestServer;
  let sessionId: string;
  beforeAll(async () => {
    keyed = await startScriptedServer(llm, { secretKey: 'ws-test-secret-key-0123456789', websocket: { authTimeoutMs: 300 } });
    sessionId = (await createSession(keyed)).id;
  });
  afterAll(() => keyed.close());

  const openKeyed = (path: string, options: Parameters<typeof connectWs>[2] = {}) => connectWs(keyed, path, options);

  it('accepts the key as a header and refuses a wrong one at the upgrade (401)', async () => {
    const client = await openKeyed(streamPath(sessionId));
    llm.enqueue({ text: 'keyed' });
    client.send({ type: 'message', content: 'hi' });
    expect((await client.waitForEvent(isReplyEnd)).message.content).toBe('keyed');
    client.ws.close();
    await expect(openKeyed(streamPath(sessionId), { headers: { authorization: 'Bearer wrong' } })).rejects.toMatchObject({ status: 401 });
    await expect(openKeyed(streamPath(sessionId), { headers: { 'x-secret-key': 'wrong' }, withKey: false })).rejects.toMatchObject({ status: 401 });
  });

  it('accepts the key as a first auth frame (browsers cannot set headers)', async () => {
    const client = await openKeyed(streamPath(sessionId), { withKey: false });
    client.send({ type: 'auth', key: 'ws-test-secret-key-0123456789' });
    llm.enqueue({ text: 'authenticated by frame' });
    client.send({ type: 'message', content: 'hi' });
    expect((await client.waitForEvent(isReplyEnd)).message.content).toBe('authenticated by frame');
    client.ws.close();
  });

  it('closes with 4401 on a wrong key frame, on any other first frame, and when no key comes in time', async () => {
    const wrong = await openKeyed(streamPath(sessionId), { withKey: false });
    wrong.send({ type: 'auth', key: 'not-the-key' });
    expect(await wrong.closed).toEqual({ code: 4401, reason: expect.stringContaining('invalid_key') });

    const before = llm.requests.length;
    const eager = await openKeyed(streamPath(sessionId), { withKey: false });
    eager.send({ type: 'message', content: 'let me in' });
    expect(await eager.closed).toEqual({ code: 4401, reason: expect.stringContaining('unauthorized') });
    expect(eager.events).toEqual([]);

    const silent = await openKeyed(streamPath(sessionId), { withKey: false });
    expect(await silent.closed).toEqual({ code: 4401, reason: expect.stringContaining('unauthorized') });
    expect(llm.requests.length).toBe(before);
  });

  it('says nothing about sessions before the key: an unknown session asks for the key first', async () => {
    const client = await openKeyed(streamPath('no-such-session'), { withKey: false });
    client.send({ type: 'resume', after: 0 });
    expect((await client.closed).code).toBe(4401);
    const authed = await openKeyed(streamPath('no-such-session'));
    expect((await authed.closed).code).toBe(4404);
  });

  it('a plain GET without the key is 401, as everywhere', async () => {
    const response = await fetch(keyed.url + streamPath(sessionId));
    expect(response.status).toBe(401);
  });
});

describe('replies driven over the socket', () => {
  it('a message while a reply runs gets a session_busy error event', async () => {
    const session = await autoSession();
    llm.enqueue({ text: ['slow ', 'reply ', 'here'], chunkDelayMs: 150 });
    const client = await open(session.id);
    client.send({ type: 'message', content: 'first' });
    await client.waitForEvent((event) => event.type === 'content_delta');
    client.send({ type: 'message', content: 'second' });
    const busy = await client.waitForEvent((event) => event.type === 'error' && event.code === 'session_busy');
    expect(busy.message_id).toBeUndefined();
    const end = await client.waitForEvent(isReplyEnd);
    expect(end.message.content).toBe('slow reply here');
    expect(client.events.filter((event) => event.type === 'user_message')).toHaveLength(1);
    client.ws.close();
  });

  it('cancel stops the running reply: the provider request is aborted and the partial reply kept', async () => {
    const session = await autoSession();
    llm.enqueue({ text: ['partial ', 'words ', 'that ', 'never ', 'end ', 'here'], chunkDelayMs: 200 });
    const abortedBefore = llm.aborted;
    const client = await open(session.id);
    client.send({ type: 'message', content: 'talk slowly' });
    await client.waitForEvent((event) => event.type === 'content_delta');
    client.send({ type: 'cancel' });
    const end = await client.waitForEvent(isReplyEnd);
    expect(end).toMatchObject({ type: 'message_complete', message: { status: 'cancelled' } });
    expect(end.message.content.startsWith('partial ')).toBe(true);
    expect(end.message.content).not.toContain('here');
    await waitFor(() => llm.aborted, (count) => count > abortedBefore);
    client.ws.close();
  });

  it('answers an approval: execution mode approve, a developer__shell call, allow_once over the socket', async () => {
    const session = await autoSession();
    const patched = await goosed.request(`/api/sessions/${session.id}`, { method: 'PATCH', json: { execution_mode: 'approve' } });
    expect(patched.status).toBe(200);
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo approved over websocket' } }] }, { text: 'It ran.' });
    const client = await open(session.id);
    client.send({ type: 'message', content: 'run it' });
    const request = await client.waitForEvent((event) => event.type === 'approval_request');
    expect(request).toMatchObject({ tool: 'developer__shell', arguments: { command: 'echo approved over websocket' } });

    // An unknown approval id is refused like the HTTP route refuses it (404 → not_found).
    client.send({ type: 'approval', id: 'no-such-approval', decision: 'allow_once' });
    expect(await client.waitForEvent((event) => event.type === 'error' && event.code === 'not_found')).toBeTruthy();

    client.send({ type: 'approval', id: request.id, decision: 'allow_once', message: 'go ahead' });
    expect(await client.waitForEvent((event) => event.type === 'approval_resolved')).toMatchObject({ id: request.id, decision: 'allow_once' });
    const result = await client.waitForEvent((event) => event.type === 'tool_result');
    expect(result).toMatchObject({ id: request.tool_call_id, is_error: false });
    expect(result.content).toContain('approved over websocket\n');
    expect(result.content).toContain('go ahead');
    expect((await client.waitForEvent(isReplyEnd)).message).toMatchObject({ status: 'complete', content: 'It ran.' });

    // Answering it again is a conflict, as over HTTP.
    client.send({ type: 'approval', id: request.id, decision: 'deny' });
    expect(await client.waitForEvent((event) => event.type === 'error' && event.code === 'approval_already_resolved')).toBeTruthy();
    client.ws.close();
  });

  it('with no provider configured, a message gets a no_provider error event', async () => {
    const bare = await startTestServer();
    try {
      const session = await createSession(bare);
      const client = await connectWs(bare, streamPath(session.id));
      client.send({ type: 'message', content: 'hello?' });
      const error = await client.waitForEvent((event) => event.type === 'error');
      expect(error.code).toBe('no_provider');
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      client.ws.close();
    } finally {
      await bare.close();
    }
  });

  it('a message frame repeated with the same id starts no second reply: the client gets the first reply\'s end', async () => {
    const session = await autoSession();
    llm.enqueue({ text: 'Only once.' });
    const client = await open(session.id);
    client.send({ type: 'message', content: 'once', id: 'client-message-1' });
    const first = await settled(client);
    const from = client.events.length;
    const requests = llm.requests.length;
    client.send({ type: 'message', content: 'once', id: 'client-message-1' });
    const repeated = await client.waitForEvent(isReplyEnd, { from });
    expect(repeated.message).toEqual(first.message);
    expect(client.events.slice(from).map((event) => event.type)).toEqual(['message_complete']);
    expect(llm.requests.length).toBe(requests);
    client.ws.close();
  });

  it('closes with 4410 when the session is deleted', async () => {
    const session = await autoSession();
    const client = await open(session.id);
    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await client.closed).toEqual({ code: 4410, reason: expect.stringContaining('session_deleted') });
  });
});

describe('resume', () => {
  it('replays what came after a seq, then follows live', async () => {
    const session = await autoSession();
    llm.enqueue({ text: ['one ', 'two ', 'three'] });
    const first = await open(session.id);
    first.send({ type: 'message', content: 'count' });
    await settled(first);
    const seen = untilReplyEnd(first.events);
    const start = seen.find((event) => event.type === 'message_start');

    const late = await open(session.id);
    late.send({ type: 'resume', after: start.seq });
    await late.waitForEvent(isReplyEnd);
    expect(untilReplyEnd(late.events)).toEqual(seen.filter((event) => event.seq > start.seq));

    // Then live: the next reply reaches both.
    llm.enqueue({ text: 'four' });
    const from = late.events.length;
    first.send({ type: 'message', content: 'more' });
    expect((await late.waitForEvent(isReplyEnd, { from })).message.content).toBe('four');
    first.ws.close();
    late.ws.close();
  });

  it('?after= on the URL does the same at connect time; a seq never handed out gets one resync event', async () => {
    const session = await autoSession();
    llm.enqueue({ text: 'replayed' });
    const first = await open(session.id);
    first.send({ type: 'message', content: 'x' });
    await first.waitForEvent(isReplyEnd);
    const userMessage = first.events.find((event) => event.type === 'user_message');

    const fromUrl = await connectWs(goosed, `${streamPath(session.id)}?after=${userMessage.seq - 1}`);
    await fromUrl.waitForEvent(isReplyEnd);
    expect(fromUrl.events[0]).toEqual(userMessage);

    const ahead = await open(session.id);
    ahead.send({ type: 'resume', after: 1_000_000 });
    const resync = await ahead.waitForEvent((event) => event.type === 'resync');
    expect(resync.seq).toBe(first.events.at(-1).seq);
    for (const client of [first, fromUrl, ahead]) client.ws.close();
  });
});

describe('many clients on one session', () => {
  it('two WebSocket clients and one SSE client see identical sequences', async () => {
    const session = await autoSession();
    const a = await open(session.id);
    const b = await open(session.id);
    const sse = await goosed.request(`/api/sessions/${session.id}/events`);
    const sseFrames = readSse(sse, (frame) => frame.event === 'message_complete');
    llm.enqueue(
      { toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo many' } }], text: ['Running ', 'it.'] },
      { text: ['Done ', 'with ', 'many ', 'clients.'] },
    );
    b.send({ type: 'message', content: 'go' });
    await a.waitForEvent(isReplyEnd);
    await b.waitForEvent(isReplyEnd);
    const fromSse = (await sseFrames).map((frame) => frame.data);
    const fromA = untilReplyEnd(a.events);
    expect(mergeDeltaRuns(types(fromA))).toEqual(expect.arrayContaining(['user_message', 'message_start', 'content_delta', 'tool_use', 'tool_result', 'message_complete']));
    expect(untilReplyEnd(b.events)).toEqual(fromA);
    expect(fromSse).toEqual(fromA);
    a.ws.close();
    b.ws.close();
  });

  it('a client that stops reading is cut off with 4008 and a reason; the reply and the other clients do not wait for it', async () => {
    const CHUNKS = 224;
    const chunk = 'y'.repeat(32 * 1024);
    // Sessions in memory (auto_save off): the text saved while it streams is not what this test is about.
    const slowServer = await startScriptedServer(llm, { settings: { auto_save: false }, websocket: { maxBufferedBytes: 1024 * 1024, closeGraceMs: 30_000 } });
    try {
      const session = await createSession(slowServer);
      const reader = await connectWs(slowServer, streamPath(session.id));
      const stalled = await connectWs(slowServer, streamPath(session.id));
      const sse = await slowServer.request(`/api/sessions/${session.id}/events`);
      // Up to the last of the text: the SSE reader of the test support rescans its buffer, too slow for a 7 MB message_complete.
      let sseText = 0;
      const sseFrames = readSse(sse, (frame) => (sseText += frame.event === 'content_delta' ? frame.data.delta.length : 0) === CHUNKS * chunk.length, 150_000);
      // The stalled client's socket stops reading: the kernel buffers fill, then the server's queue.
      (stalled.ws as any)._socket.pause();

      // 7 MB of text: more than the socket buffers on both sides (about 4 MB on Linux loopback) plus
      // the bound. Slow on a loaded machine, hence the long timeouts. The pause between
      // chunks lets the readers (in this same process) keep up, as they would with a real model.
      llm.enqueue({ text: Array.from({ length: CHUNKS }, () => chunk), chunkDelayMs: 1 });
      reader.send({ type: 'message', content: 'a long answer please' });
      const end = await reader.waitForEvent(isReplyEnd, { timeoutMs: 150_000 });
      expect(end.message.status).toBe('complete');
      expect(end.message.content.length).toBe(CHUNKS * chunk.length);
      const textLength = (deltas: { delta: string }[]) => deltas.reduce((sum, delta) => sum + delta.delta.length, 0);
      expect(textLength(reader.events.filter((event) => event.type === 'content_delta'))).toBe(CHUNKS * chunk.length);
      expect(textLength((await sseFrames).filter((frame) => frame.event === 'content_delta').map((frame) => frame.data))).toBe(CHUNKS * chunk.length);
      // The reply ended while the stalled client still read nothing: nothing waited for it.

      // When it reads again, it finds what was queued for it, then the close with the reason.
      (stalled.ws as any)._socket.resume();
      const closed = await stalled.closed;
      expect(closed).toEqual({ code: 4008, reason: expect.stringContaining('slow_consumer') });
      const deltas = stalled.events.filter((event) => event.type === 'content_delta');
      expect(deltas.length).toBeGreaterThan(0);
      // Cut off while the reply ran: it never got the end of it.
      expect(textLength(deltas)).toBeLessThan(CHUNKS * chunk.length);
      expect(stalled.events.some((event) => event.type === 'message_complete')).toBe(false);
      reader.ws.close();
    } finally {
      await slowServer.close();
    }
  }, 200_000);
});

describe('connection health and shutdown', () => {
  it('heartbeat pings drop a peer that stopped answering, and keep one that answers', async () => {
    const server = await startTestServer({ websocket: { heartbeatMs: 100 } });
    try {
      const session = await createSession(server);
      const healthy = await connectWs(server, streamPath(session.id));
      const dead = await connectWs(server, streamPath(session.id));
      let pings = 0;
      healthy.ws.on('ping', () => pings++);
      (dead.ws as any)._socket.pause();
      await waitFor(() => server.server.context.sockets.size, (size) => size === 1, 5000);
      expect(pings).toBeGreaterThanOrEqual(2);
      expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
      (dead.ws as any)._socket.resume();
      expect((await dead.closed).code).toBe(1006);
      healthy.ws.close();
    } finally {
      await server.close();
    }
  });

  it('closes every socket with 1001 and a reason on shutdown, after the running reply ended', async () => {
    const server = await startScriptedServer(llm);
    const session = await createSession(server);
    const client = await connectWs(server, streamPath(session.id));
    // A peer that reads nothing never answers the close frame: shutdown does not wait for it long.
    const stalled = await connectWs(server, streamPath(session.id));
    (stalled.ws as any)._socket.pause();
    llm.enqueue({ text: ['finishing ', 'in ', 'time'], chunkDelayMs: 50 });
    client.send({ type: 'message', content: 'hi' });
    await client.waitForEvent((event) => event.type === 'content_delta');
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await client.closed).toEqual({ code: 1001, reason: expect.stringContaining('shutting down') });
    expect(client.events.find(isReplyEnd)?.message.content).toBe('finishing in time');
    (stalled.ws as any)._socket.resume();
    await stalled.closed;
  });

  it('the OpenAPI document describes the upgrade (101) and the frames both ways', async () => {
    const document = await (await goosed.request('/api/openapi.json')).json();
    const operation = document.paths['/api/sessions/{id}/stream'].get;
    expect(operation.responses['101']).toBeDefined();
    expect(operation['x-websocket']).toEqual({
      'client-frames': { $ref: '#/components/schemas/WebSocketClientFrame' },
      'server-frames': { $ref: '#/components/schemas/SessionEvent' },
    });
    const frames = document.components.schemas.WebSocketClientFrame.oneOf.map((ref: { $ref: string }) => ref.$ref.split('/').at(-1));
    expect(frames).toEqual(['WebSocketAuthFrame', 'WebSocketMessageFrame', 'WebSocketCancelFrame', 'WebSocketApprovalFrame', 'WebSocketResumeFrame']);
    expect(document.components.schemas.WebSocketMessageFrame.required).toEqual(expect.arrayContaining(['type', 'content']));
    expect(document.components.schemas.WebSocketApprovalFrame.required).toEqual(expect.arrayContaining(['type', 'id', 'decision']));
  });

  it('a raw client gets the protocol: the 101 answer carries the request id', async () => {
    const session = await autoSession();
    const ws = new WebSocket(wsUrl(goosed, streamPath(session.id)));
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve) => ws.once('upgrade', (response) => resolve(response.headers)));
    expect(headers['x-request-id']).toEqual(expect.any(String));
    ws.close();
  });
});
