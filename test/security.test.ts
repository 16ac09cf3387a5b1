import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-request.js';
import { startTestServer, type TestServer } from './support/goosed.js';

const KEY = 'test-secret-key-0123456789';

describe('with a secret key', () => {
  let goosed: TestServer;
  beforeAll(async () => {
    goosed = await startTestServer({ secretKey: KEY });
  });
  afterAll(async () => {
    await goosed.close();
  });

  it('answers /api/status without the key', async () => {
    const response = await fetch(`${goosed.url}/api/status`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('refuses every other route without the key, or with a wrong one', async () => {
    for (const path of ['/api/sessions', '/api/config', '/api/openapi.json', '/api/sessions/x/messages', '/api/no-such-route']) {
      const response = await fetch(`${goosed.url}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'unauthorized' });
    }
    const wrong = await fetch(`${goosed.url}/api/sessions`, { headers: { authorization: 'Bearer wrong-key-wrong-key' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'invalid_key' });
    const create = await fetch(`${goosed.url}/api/sessions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(create.status).toBe(401);
  });

  it('accepts the key as a Bearer token or as X-Secret-Key', async () => {
    expect((await fetch(`${goosed.url}/api/sessions`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    expect((await fetch(`${goosed.url}/api/sessions`, { headers: { 'x-secret-key': KEY } })).status).toBe(200);
  });
});

describe('without a key, on loopback', () => {
  let goosed: TestServer;
  beforeAll(async () => {
    goosed = await startTestServer();
  });
  afterAll(async () => {
    await goosed.close();
  });

  it('answers without a key', async () => {
    expect((await goosed.request('/api/sessions')).status).toBe(200);
  });

  it('refuses a Host it does not answer to (DNS rebinding) with 403', async () => {
    const rebound = await rawRequest(goosed.url, '/api/sessions', { host: 'attacker.example:8080' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'forbidden_host' });
    const port = new URL(goosed.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(goosed.url, '/api/sessions', { host })).status, host).toBe(200);
    }
  });

  it('refuses a foreign Origin with 403 and sends no CORS grant, for reads, writes and preflights', async () => {
    const evil = 'http://evil.example';
    const read = await goosed.request('/api/sessions', { headers: { origin: evil } });
    expect(read.status).toBe(403);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    expect(await read.json()).toMatchObject({ code: 'forbidden_origin' });
    const write = await goosed.request('/api/sessions', { method: 'POST', json: { name: 'pwned' }, headers: { origin: evil } });
    expect(write.status).toBe(403);
    const preflight = await goosed.request('/api/sessions', { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    const nullOrigin = await goosed.request('/api/sessions', { headers: { origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const names = (await (await goosed.request('/api/sessions')).json()).map((s: { name: string }) => s.name);
    expect(names).not.toContain('pwned');
  });

  it('accepts its own origin (the web page it serves)', async () => {
    const port = new URL(goosed.url).port;
    const response = await rawRequest(goosed.url, '/api/sessions', { host: `localhost:${port}`, origin: `http://localhost:${port}` });
    expect(response.status).toBe(200);
  });

  it('grants CORS to a configured origin only, never *', async () => {
    const friend = 'http://localhost:5173';
    expect((await goosed.request('/api/sessions', { headers: { origin: friend } })).status).toBe(403);
    await goosed.request('/api/config', { method: 'PATCH', json: { allowed_origins: [friend] } });
    const allowed = await goosed.request('/api/sessions', { headers: { origin: friend } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(friend);
    const preflight = await goosed.request('/api/sessions', { method: 'OPTIONS', headers: { origin: friend, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(friend);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const other = await goosed.request('/api/sessions', { headers: { origin: 'http://localhost:5174' } });
    expect(other.status).toBe(403);
  });

  it('answers a configured allowed host', async () => {
    expect((await rawRequest(goosed.url, '/api/status', { host: 'goose.internal' })).status).toBe(403);
    await goosed.request('/api/config', { method: 'PATCH', json: { allowed_hosts: ['goose.internal'] } });
    expect((await rawRequest(goosed.url, '/api/status', { host: 'goose.internal' })).status).toBe(200);
  });
});
