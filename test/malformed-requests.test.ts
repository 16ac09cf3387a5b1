// Requests the fuzzer found answered without `{error, code}` or with a 500: each one pinned here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from './support/goosed.js';
import { sendRaw } from './support/fuzz/raw-http.js';
import { deepJson } from './support/fuzz/hostile-values.js';

let goosed: TestServer;
let port: number;
beforeAll(async () => {
  goosed = await startTestServer();
  port = Number(new URL(goosed.url).port);
});
afterAll(async () => {
  await goosed.close();
});

const send = (method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
  sendRaw(port, { method, target, headers: { host: `127.0.0.1:${port}`, ...headers }, body: body === undefined ? undefined : Buffer.from(body) });

function expectErrorBody(response: { status: number; headers: Record<string, string>; body: Buffer }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(response.body.toString())).toMatchObject({ code, error: expect.any(String) });
}

describe('what Node refuses before the app sees it', () => {
  it('answers bytes that are not HTTP with {error, code}', async () => {
    expectErrorBody(await send('GET', '/api/sessions/\u00ff'), 400, 'malformed_request');
    expectErrorBody(await send('GET', '/api/a b'), 400, 'malformed_request');
    expectErrorBody(await send('GET', '/api/sessions', { 'x-note': 'a\u0001b' }), 400, 'malformed_request');
    expectErrorBody(await send('GET', '/api/sessions', { 'x-big': 'a'.repeat(20_000) }), 431, 'headers_too_large');
  });

  it('answers a Host that cannot be part of a URL with {error, code}', async () => {
    expectErrorBody(await send('GET', '/api/sessions', { host: `localhost:${port}@evil.example` }), 400, 'malformed_request');
    expectErrorBody(await send('GET', '/api/sessions', { host: `127.0.0.1:${port}, evil.example` }), 400, 'malformed_request');
    // Still answering normally afterwards.
    expect((await send('GET', '/api/status')).status).toBe(200);
  });
});

describe('deeply nested JSON', () => {
  it('is refused with 400 json_too_deep instead of overflowing the stack when stored (was a 500)', async () => {
    const body = `{"name":"deep","type":"stdio","config":{"command":"x","extra":${deepJson(10_000, 'object')}}}`;
    expectErrorBody(await send('POST', '/api/extensions', { 'content-type': 'application/json' }, body), 400, 'json_too_deep');
    expect(await (await goosed.request('/api/extensions')).json()).toEqual([]);
  });

  it('is refused before parsing, so a million levels cost nothing', async () => {
    const response = await send('POST', '/api/sessions', { 'content-type': 'application/json' }, deepJson(1_000_000, 'array'));
    expectErrorBody(response, 400, 'json_too_deep');
  });

  it('accepts the nesting real requests have', async () => {
    // Tool-call arguments are free-form JSON: an imported session carries them as they were.
    const call = `{"type":"tool_call","id":"c1","tool":"x__y","arguments":{"deep":${deepJson(40, 'object')}},"status":"done","result":null}`;
    const message = `{"role":"assistant","content":"","parts":[${call}],"status":"complete","created_at":"2026-11-25T00:00:00.000Z","usage":null,"error":null}`;
    const nested = `{"format":"goosed.session","version":1,"exported_at":"2026-11-25T00:00:00.000Z","session":{"name":"deep","working_directory":${JSON.stringify(process.cwd())},"execution_mode":null,"created_at":"2026-11-25T00:00:00.000Z"},"messages":[${message}]}`;
    const response = await send('POST', '/api/sessions/import', { 'content-type': 'application/json' }, nested);
    expect(response.status).toBe(201);
  });
});

describe('a refused request with a large body behind it', () => {
  it('still gets its answer: the rest of the body is read, not answered with a reset', async () => {
    // A client that reads only once it has sent everything (a simple one, or a busy one). Node reports
    // every further chunk of a request it could not parse as a new client error; answering the
    // second one by destroying the socket reset the connection, and the 400 was lost with it.
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.pause();
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}: ${Buffer.concat(chunks).toString()}`));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
      const body = Buffer.alloc(4 * 1024 * 1024, 0x20);
      socket.write(`POST /api/sessions HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nx-note: a\u0001b\r\ncontent-length: ${body.length}\r\n\r\n`);
      socket.write(body, () => setTimeout(() => socket.resume(), 100));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"malformed_request"');
  });
});

describe('a provider configuration that could never work', () => {
  it('is refused when it is sent, not accepted to fail every reply later (a key outside ASCII, a URL that is not http)', async () => {
    for (const body of [
      { name: 'ollama', api_key: 'key-with-ü-inside', model: 'm' },
      { name: 'openai', api_key: 'sk-with space', model: 'm' },
      { name: 'openai', api_key: 'sk-\u0000', model: 'm' },
      { name: 'openai', api_key: 'sk-ok', model: 'm', base_url: 'file:///etc/passwd' },
      { name: 'openai', api_key: 'sk-ok', model: 'm', base_url: 'javascript:alert(1)' },
    ]) {
      const response = await goosed.request('/api/providers', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_request' });
    }
    expect((await goosed.request('/api/providers/current')).status).toBe(404);
  });
});
