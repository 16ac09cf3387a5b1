// An answer sent before the request's body arrived (413, 401, 403) must not leave a keep-alive
// client with a connection the server is about to drop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from './support/goosed.js';

const LIMIT = 1024;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Errors the request saw, up to the moment its socket closed or went back to the pool. */
  errors: string[];
}

/**
 * One request through `agent`. With `holdBack`, that many bytes of the body are sent only once the
 * answer has arrived: the server has certainly answered before reading them.
 */
function send(agent: Agent, url: string, method: string, path: string, { body, holdBack = 0, headers = {} }: { body?: Buffer; holdBack?: number; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const errors: string[] = [];
    let answered = false;
    const req = request(url + path, { agent, method, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}), ...headers } }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      if (body && holdBack > 0) req.end(body.subarray(body.length - holdBack));
      // Settled once the request is over on its socket: closed, or handed back to the pool.
      const settle = () => resolve({ status: res.statusCode!, headers: res.headers, body: text, errors });
      res.on('end', () => {
        if (req.socket?.destroyed) settle();
        else req.socket?.once('close', settle).once('free', settle);
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      errors.push(error.code ?? error.message);
      if (!answered) reject(error);
    });
    if (!body) req.end();
    else if (holdBack > 0) req.write(body.subarray(0, body.length - holdBack));
    else req.end(body);
  });
}

let goosed: TestServer;
beforeAll(async () => {
  goosed = await startTestServer({ bodyLimitBytes: LIMIT });
});
afterAll(async () => {
  await goosed.close();
});

describe('a keep-alive client after an answer sent before the body was read', () => {
  it('gets Connection: close with a 413, and its next request succeeds', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const size of [20_000, 1_000_000]) {
        const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(size) }));
        const refused = await send(agent, goosed.url, 'POST', '/api/sessions', { body: big });
        expect(refused.status).toBe(413);
        expect(JSON.parse(refused.body)).toMatchObject({ code: 'body_too_large' });
        expect(refused.headers.connection, `${size} bytes`).toBe('close');
        const next = await send(agent, goosed.url, 'GET', '/api/sessions');
        expect(next.status, `after ${size} bytes`).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it('may finish sending the body it had started: the server reads it before closing (no EPIPE)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.alloc(2_000_000, 'x');
      const refused = await send(agent, goosed.url, 'POST', '/api/sessions', { body: big, holdBack: big.length - 10 });
      expect(refused.status).toBe(413);
      expect(refused.headers.connection).toBe('close');
      expect(refused.errors).toEqual([]);
      expect((await send(agent, goosed.url, 'GET', '/api/sessions')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('gets Connection: close with a 401 too, when the key is missing', async () => {
    const keyed = await startTestServer({ secretKey: 'early-answer-key-0123456789' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = Buffer.alloc(500_000, 'x');
      const refused = await send(agent, keyed.url, 'POST', '/api/sessions', { body, holdBack: body.length - 10 });
      expect(refused.status).toBe(401);
      expect(refused.headers.connection).toBe('close');
      expect(refused.errors).toEqual([]);
      const next = await send(agent, keyed.url, 'GET', '/api/sessions', { headers: { authorization: 'Bearer early-answer-key-0123456789' } });
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
      await keyed.close();
    }
  });

  it('keeps the connection when the body was read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const created = await send(agent, goosed.url, 'POST', '/api/sessions', { body: Buffer.from('{"name":"kept"}') });
      expect(created.status).toBe(201);
      expect(created.headers.connection).toBe('keep-alive');
      const next = await new Promise<boolean>((resolve, reject) => {
        const req = request(`${goosed.url}/api/sessions`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.reusedSocket));
        });
        req.on('error', reject);
        req.end();
      });
      expect(next).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('does not run a request sent after the rest of that body on the closing connection', async () => {
    const port = Number(new URL(goosed.url).port);
    const before = (await (await goosed.request('/api/sessions')).json()).length;
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      const first = received === '';
      received += chunk;
      if (first) {
        // The body's rest, then a request the client was told not to send on this connection.
        socket.write(Buffer.alloc(4900, 'x'));
        socket.end(`POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
      }
    });
    socket.write(`POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n${'x'.repeat(100)}`);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect((await (await goosed.request('/api/sessions')).json()).length).toBe(before);
  });
});
