// The provider key never leaves goosed except towards the provider: goosed runs as a process at
// --log-level debug, every route is exercised (successes, provider failures whose bodies repeat the
// key, client errors), and every answer, event, WebSocket frame and log line is searched for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { removeDirectory, temporaryDirectory, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';

const OPENAI_KEY = 'sk-secrecy-openai-3f9a1c7e5b2d4086';
const ANTHROPIC_KEY = 'sk-ant-secrecy-77c2e1d9a0b84f35';
const SERVER_KEY = 'server-secret-key-secrecy-5d1e8a2c';
// The part after a provider prefix: a key is just as leaked with its first characters cut off.
const NEEDLES = [OPENAI_KEY, ANTHROPIC_KEY, OPENAI_KEY.slice(3), ANTHROPIC_KEY.slice(7), SERVER_KEY];

let llm: ScriptedLlm;
let bundle: GoosedBundle;
let goosed: GoosedProcess;
let dir: string;
const seen: string[] = [];

beforeAll(async () => {
  [llm, bundle] = await Promise.all([startScriptedLlm(), buildGoosedBundle()]);
  dir = temporaryDirectory('goosed-secrecy-');
  goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--log-level', 'debug', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')], { GOOSED_SECRET_KEY: SERVER_KEY });
});
afterAll(async () => {
  if (goosed.child.exitCode === null) goosed.child.kill('SIGKILL');
  await llm.close();
  bundle?.remove();
  removeDirectory(dir);
});

/** A request with the server key; status, headers and body go into what is searched. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${goosed.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  seen.push(`${method} ${path} ${response.status} ${JSON.stringify([...response.headers])} ${text}`);
  return { status: response.status, text };
}

function followOverWebSocket(sessionId: string): { frames: string[]; close: () => void } {
  const frames: string[] = [];
  const ws = new WebSocket(`${goosed.url.replace('http', 'ws')}/api/sessions/${sessionId}/stream?after=0`, { headers: { authorization: `Bearer ${SERVER_KEY}` } });
  ws.on('message', (data) => frames.push(String(data)));
  ws.on('error', () => {});
  return { frames, close: () => ws.close() };
}

describe('the provider key', () => {
  it('appears in no answer, event, frame or log line, whatever happens', async () => {
    expect((await call('POST', '/api/providers', { name: 'anthropic', api_key: ANTHROPIC_KEY, model: 'claude', base_url: `${llm.url}/v1` })).status).toBe(200);
    expect((await call('POST', '/api/providers', { name: 'openai', api_key: OPENAI_KEY, model: 'gpt', base_url: `${llm.url}/v1` })).status).toBe(200);
    expect((await call('POST', '/api/extensions', { name: 'developer', config: { allow_shell: true } })).status).toBe(201);
    const session = JSON.parse((await call('POST', '/api/sessions', { name: 'secrecy', working_directory: dir, execution_mode: 'auto' })).text);
    const follower = followOverWebSocket(session.id);
    const send = (content: string) => call('POST', `/api/sessions/${session.id}/messages`, { content });
    const stream = (content: string) => call('POST', `/api/sessions/${session.id}/messages/stream`, { content });
    const echoKey = (key: string) => `Incorrect API key provided: ${key}. You can find your API key at https://example.invalid.`;

    // Successes, with a tool call.
    llm.enqueue({ toolCalls: [{ name: 'developer__shell', arguments: { command: 'echo tool ran' } }] }, { text: 'All good.' });
    expect((await stream('run a tool')).status).toBe(200);
    llm.enqueue({ text: 'fine' });
    expect((await send('hello')).status).toBe(200);
    // Provider failures whose bodies repeat the key, as real providers do.
    for (const status of [401, 403, 400, 404, 422, 429, 500, 503]) {
      for (let i = 0; i < 4; i++) llm.enqueue({ fault: { kind: 'status', status, message: echoKey(OPENAI_KEY), retryAfterSeconds: 0 } });
      await send(`fail with ${status}`);
      await stream(`fail with ${status}, streamed`);
    }
    llm.enqueue({ fault: { kind: 'status', status: 500, body: `upstream said: Authorization: Bearer ${OPENAI_KEY}` } }, { fault: { kind: 'status', status: 400, body: `{"error":"bad key ${OPENAI_KEY}"}` } });
    await send('raw bodies');
    llm.enqueue({ text: ['partial ', 'text'], fault: { kind: 'reset_after', chunks: 1 } }, { text: ['bad ', 'frame'], fault: { kind: 'malformed_after', chunks: 1 } });
    await stream('a reset');
    await stream('a malformed frame');
    // The other provider, failing the same way.
    await call('POST', '/api/providers', { name: 'anthropic', model: 'claude', base_url: `${llm.url}/v1` });
    llm.enqueue({ fault: { kind: 'status', status: 401, message: echoKey(ANTHROPIC_KEY) } });
    await send('anthropic fails');
    // Every read route, and errors of every kind.
    for (const path of ['/api/status', '/api/sessions', `/api/sessions/${session.id}`, `/api/sessions/${session.id}/messages`, `/api/sessions/${session.id}/export`,
      `/api/sessions/${session.id}/approvals`, '/api/providers', '/api/providers/current', '/api/extensions', '/api/config', '/api/openapi.json', '/api/docs', '/', '/api/nope', '/api/sessions/nope']) {
      await call('GET', path);
    }
    await call('POST', '/api/providers', { name: 'openai', api_key: 12, model: '' });
    await call('POST', '/api/providers', '{"name": "openai", "api_key": ');
    await call('PATCH', '/api/config', { api_key: 'x' });
    await call('GET', '/api/providers', undefined, { authorization: 'Bearer wrong' });
    await call('POST', `/api/sessions/${session.id}/approvals/nope`, { decision: 'deny' });
    await call('DELETE', '/api/providers/anthropic');
    await call('DELETE', '/api/providers/google');
    // Then every operation of the OpenAPI document once more, with a body that fits none of them.
    const document = await (await fetch(`${goosed.url}/api/openapi.json`, { headers: { authorization: `Bearer ${SERVER_KEY}` } })).json();
    const extension = JSON.parse((await call('GET', '/api/extensions')).text)[0];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item).filter((m) => ['get', 'post', 'patch', 'delete'].includes(m))) {
        const concrete = path.replace('{id}', path.startsWith('/api/extensions') ? extension.id : session.id).replace('{approval_id}', 'nope').replace('{name}', 'anthropic');
        // The session is still needed below, and its event stream (read below) never ends by itself.
        if ((method === 'delete' && concrete === `/api/sessions/${session.id}`) || concrete.endsWith('/events')) continue;
        await call(method.toUpperCase(), concrete, method === 'get' || method === 'delete' ? undefined : { name: 'x', content: 'x', decision: 'deny', config: {} });
      }
    }
    const events = await fetch(`${goosed.url}/api/sessions/${session.id}/events?after=0`, { headers: { authorization: `Bearer ${SERVER_KEY}` } });
    const reader = events.body!.getReader();
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 200))]);
      if (!chunk || chunk.done) break;
      seen.push(Buffer.from(chunk.value).toString());
    }
    await reader.cancel();
    follower.close();

    goosed.child.kill('SIGTERM');
    expect(await goosed.exited).toBe(0);
    const logs = goosed.stdout() + goosed.stderr();
    const everything = [...seen, ...follower.frames, logs].join('\n');
    // The search means something: the logs are there at debug level, and the failures were seen.
    expect(logs).toContain('"msg":"request"');
    expect(follower.frames.length).toBeGreaterThan(20);
    expect(everything).toContain('provider_auth_failed');
    expect(everything).toContain('****4086');
    // The providers' own messages came through, with the key taken out.
    expect(everything).toContain('Incorrect API key provided: [redacted]');
    for (const needle of NEEDLES) {
      const at = everything.indexOf(needle);
      expect(at, `found ${needle} in: …${everything.slice(Math.max(0, at - 200), at + 100)}…`).toBe(-1);
    }
    // The key did go where it belongs: to the provider.
    expect(llm.requests.some((request) => request.headers.authorization === `Bearer ${OPENAI_KEY}`)).toBe(true);
  }, 120_000);
});
