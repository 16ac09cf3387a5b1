// SSE responses are written straight to Node's response, beside the adapter: what the middleware
// put on it (request id, CORS) must still go out, the response must end as HTTP says, and the
// connection must serve the next request, as it does after any other answer.
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { SseParser } from '../src/client/sse-parser.js';
import { sseResponse } from '../src/server/sse.js';
import { createSession } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';

const ORIGIN = 'https://app.example.com';

let harness: ReplyHarness;
/** One connection, kept alive: every request of a test goes over the same socket when it can. */
let agent: Agent;

beforeAll(async () => {
  harness = await startReplyHarness({ settings: { allowed_origins: [ORIGIN] } });
});
afterAll(() => harness?.close());
beforeEach(() => {
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
});
afterEach(() => agent.destroy());

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
  reusedSocket: boolean;
}

/** A request through the keep-alive agent, read to its end; `started` runs once the stream's first bytes (the reconnect delay) are in. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown, started?: () => void): Promise<Answer> {
  const { hostname, port } = new URL(harness.goosed.url);
  return new Promise((resolve, reject) => {
    const json = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest({ agent, hostname, port, method, path, headers: { ...headers, ...(json ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      const answer = () => ({ status: res.statusCode!, headers: res.headers, body: text, socket: res.socket as Socket, reusedSocket: req.reusedSocket });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('retry: ')) started?.();
      });
      res.on('end', () => resolve(answer()));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(json);
  });
}

function framesOf(body: string): { event: string; data: any }[] {
  const frames: { event: string; data: any }[] = [];
  new SseParser({ frame: ({ event, data }) => void frames.push({ event, data: JSON.parse(data) }) }).push(body);
  return frames;
}

function expectSseHead(answer: Answer, requestId: string): void {
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(answer.headers['cache-control']).toBe('no-cache, no-transform');
  expect(answer.headers['x-accel-buffering']).toBe('no');
  // Set by the middleware on the outgoing message before the route ran.
  expect(answer.headers['x-request-id']).toBe(requestId);
  expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
  expect(answer.headers['access-control-expose-headers']).toContain('X-Request-Id');
}

describe('an SSE response', () => {
  it('of a streamed reply carries the middleware headers, ends with the reply, and leaves the connection for the next request', async () => {
    const { goosed, llm } = harness;
    const session = await createSession(goosed);
    llm.enqueue({ text: ['Hello ', 'over ', 'SSE'] });
    const streamed = await send('POST', `/api/sessions/${session.id}/messages/stream`, { origin: ORIGIN, 'x-request-id': 'sse-stream-1' }, { content: 'hi' });
    expectSseHead(streamed, 'sse-stream-1');
    expect(streamed.headers['transfer-encoding']).toBe('chunked');
    expect(streamed.body.startsWith('retry: 2000\n\n')).toBe(true);
    const frames = framesOf(streamed.body);
    expect(frames.at(-1)!.event).toBe('message_complete');
    expect(frames.at(-1)!.data.message.content).toBe('Hello over SSE');

    const next = await send('GET', `/api/sessions/${session.id}`);
    expect(next.reusedSocket).toBe(true);
    expect(next.socket).toBe(streamed.socket);
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toMatchObject({ id: session.id, status: 'idle' });
  });

  it('of a session ends when the session is deleted, and the connection serves the next request', async () => {
    const { goosed } = harness;
    const session = await createSession(goosed);
    // Subscribed once its first bytes are in; then the session is deleted over another connection.
    let subscribed!: () => void;
    const started = new Promise<void>((resolve) => (subscribed = resolve));
    const following = send('GET', `/api/sessions/${session.id}/events`, { origin: ORIGIN, 'x-request-id': 'sse-events-1' }, undefined, subscribed);
    await started;
    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    const followed = await following;
    expectSseHead(followed, 'sse-events-1');
    expect(followed.body).toBe('retry: 2000\n\n');

    const next = await send('GET', '/api/status');
    expect(next.reusedSocket).toBe(true);
    expect(next.socket).toBe(followed.socket);
    expect(next.status).toBe(200);
  });

  it('to HEAD is the head alone, follows nothing, and the connection serves the next request', async () => {
    // Over a raw socket: node:http's client does not reuse a connection after a HEAD answered without a length.
    const { hostname, port } = new URL(harness.goosed.url);
    const session = await createSession(harness.goosed);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    const host = `Host: ${hostname}:${port}\r\n`;
    const head = await exchange(socket, `HEAD /api/sessions/${session.id}/events HTTP/1.1\r\n${host}Origin: ${ORIGIN}\r\nX-Request-Id: sse-head-1\r\n\r\n`);
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(head).toMatch(/^content-type: text\/event-stream; charset=utf-8$/im);
    expect(head).toMatch(/^x-request-id: sse-head-1$/im);
    expect(head).toMatch(/^access-control-allow-origin: https:\/\/app\.example\.com$/im);
    const next = await exchange(socket, `GET /api/status HTTP/1.1\r\n${host}\r\n`);
    expect(next.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    // Nothing follows the session for it (a follower no one reads would hold its events until cut off).
    expect(harness.goosed.server.context.events.followerCount(session.id)).toBe(0);
    socket.destroy();
  });
});

describe('an SSE response off Node (app.request, no outgoing message)', () => {
  it('streams the same frames through a web stream, ends, and cleans up once', async () => {
    const app = new Hono();
    let cleanups = 0;
    const published = (seq: number, type: 'user_message' | 'message_start') => ({ event: { seq, type }, json: JSON.stringify({ seq, type }) });
    app.get('/follow', (c) =>
      sseResponse(c, (follower) => {
        follower.replay([published(1, 'user_message')]);
        setImmediate(() => {
          follower.deliver(published(2, 'message_start'));
          follower.end?.('reply_ended');
        });
        return () => void cleanups++;
      }),
    );
    const response = await app.request('/follow');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const body = await response.text();
    expect(body.startsWith('retry: 2000\n\n')).toBe(true);
    expect(framesOf(body)).toEqual([
      { event: 'user_message', data: { seq: 1, type: 'user_message' } },
      { event: 'message_start', data: { seq: 2, type: 'message_start' } },
    ]);
    expect(cleanups).toBe(1);
  });
});

/** Sends one request on the socket and reads its answer: the head, then a body of Content-Length bytes. Rejects if the connection closes first. */
function exchange(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const complete = () => {
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd === -1) return false;
      const length = Number(/^content-length: (\d+)$/im.exec(received.slice(0, headEnd))?.[1] ?? 0);
      return received.length >= headEnd + 4 + length;
    };
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!complete()) return;
      socket.off('data', onData).off('close', onClose);
      resolve(received);
    };
    const onClose = () => reject(new Error(`the connection closed after ${JSON.stringify(received)}`));
    socket.on('data', onData).once('close', onClose);
    socket.write(request);
  });
}
