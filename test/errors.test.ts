import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/goosed.js';

let goosed: TestServer;
beforeAll(async () => {
  goosed = await startTestServer({ bodyLimitBytes: 64 * 1024 });
});
afterAll(async () => {
  await goosed.close();
});

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = await response.json();
  expect(body).toEqual({ error: expect.any(String), code });
  expect(body.error.length).toBeGreaterThan(10);
  return body.error;
}

describe('bad input gets {error, code} with the right status', () => {
  it('invalid JSON is 400 invalid_json', async () => {
    const response = await goosed.request('/api/sessions', { method: 'POST', body: '{"name": ', headers: { 'content-type': 'application/json' } });
    await expectError(response, 400, 'invalid_json');
  });

  it('wrong types are 400 naming the field', async () => {
    const message = await expectError(await goosed.request('/api/sessions', { method: 'POST', json: { name: 42 } }), 400, 'invalid_request');
    expect(message).toContain('name');
  });

  it('a JSON array or string where an object belongs is 400', async () => {
    await expectError(await goosed.request('/api/sessions', { method: 'POST', json: [1, 2] }), 400, 'invalid_request');
    await expectError(await goosed.request('/api/config', { method: 'PATCH', json: 'auto' }), 400, 'invalid_request');
  });

  it('a body that is not JSON at all is 415', async () => {
    const response = await goosed.request('/api/sessions', { method: 'POST', body: 'name=x', headers: { 'content-type': 'text/plain' } });
    await expectError(response, 415, 'unsupported_media_type');
  });

  it('an unknown session id is 404, including path-like and injection-like ids', async () => {
    for (const id of ['nope', '..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'='1", '%00']) {
      await expectError(await goosed.request(`/api/sessions/${id}`), 404, 'not_found');
    }
  });

  it('an unknown route is 404 and a wrong method is 405 with Allow', async () => {
    await expectError(await goosed.request('/api/nothing-here'), 404, 'not_found');
    const response = await goosed.request('/api/config', { method: 'DELETE' });
    expect(response.headers.get('allow')).toContain('GET');
    await expectError(response, 405, 'method_not_allowed');
  });

  it('a body over the limit is 413, whether or not it declares its length', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(100 * 1024) });
    await expectError(await goosed.request('/api/sessions', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } }), 413, 'body_too_large');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await fetch(`${goosed.url}/api/sessions`, { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    await expectError(chunked, 413, 'body_too_large');
  });
});

describe('request ids', () => {
  it('answers with a generated X-Request-Id, or echoes a sane one', async () => {
    const generated = await goosed.request('/api/status');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await goosed.request('/api/status', { headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await goosed.request('/api/status', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toContain(' ');
    const onError = await goosed.request('/api/sessions/nope');
    expect(onError.headers.get('x-request-id')).toBeTruthy();
  });
});
