// A provider that fails (rejects the key, is unreachable, answers 4xx or 5xx) is not a bug of goosed:
// goosed, run as a process, logs each such failure once, at warn, as one line without a stack, and
// keeps error level for its own faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { removeDirectory, temporaryDirectory, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';
import { isReplyEnd, readSse } from './support/sse-client.js';

const KEY = 'sk-failure-logs-4c1d9e7a2b5f8036';

let llm: ScriptedLlm;
let bundle: GoosedBundle;
let goosed: GoosedProcess;
let dir: string;

beforeAll(async () => {
  [llm, bundle] = await Promise.all([startScriptedLlm(), buildGoosedBundle()]);
  dir = temporaryDirectory('goosed-failure-logs-');
  goosed = await spawnBundledGoosed(bundle, ['--port', '0', '--log-level', 'info', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')]);
});
afterAll(async () => {
  if (goosed.child.exitCode === null) goosed.child.kill('SIGKILL');
  await llm.close();
  bundle?.remove();
  removeDirectory(dir);
});

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${goosed.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function useProvider(baseUrl: string): Promise<void> {
  expect((await call('POST', '/api/providers', { name: 'openai', api_key: KEY, model: 'm', base_url: baseUrl })).status).toBe(200);
}

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends one message and returns the code of the error the reply ended with. */
async function failingReply(how: 'wait' | 'stream'): Promise<string> {
  const session = await (await call('POST', '/api/sessions', { name: 'failing' })).json();
  if (how === 'wait') {
    const answer = await call('POST', `/api/sessions/${session.id}/messages`, { role: 'user', content: 'hello' });
    expect(answer.status).toBe(502);
    return (await answer.json()).code;
  }
  const frames = await readSse(await call('POST', `/api/sessions/${session.id}/messages/stream`, { content: 'hello' }), isReplyEnd);
  expect(frames.at(-1)?.event).toBe('error');
  return frames.at(-1)!.data.code;
}

describe('provider failures in the log', () => {
  it('are one warn line each, without a stack; nothing is logged at error', async () => {
    await useProvider(`${llm.url}/v1`);
    llm.enqueue({ fault: { kind: 'status', status: 401, message: `Incorrect API key provided: ${KEY}` } });
    expect(await failingReply('wait')).toBe('provider_auth_failed');
    llm.enqueue({ fault: { kind: 'status', status: 400, message: 'model m does not exist' } });
    expect(await failingReply('stream')).toBe('provider_bad_request');
    // Retried with backoff first (4 attempts), then given up.
    for (let attempt = 0; attempt < 4; attempt++) llm.enqueue({ fault: { kind: 'status', status: 503, message: 'overloaded' } });
    expect(await failingReply('wait')).toBe('provider_unavailable');
    await useProvider(`http://127.0.0.1:${await closedPort()}/v1`);
    expect(await failingReply('stream')).toBe('provider_connection_failed');

    goosed.child.kill('SIGTERM');
    expect(await goosed.exited).toBe(0);
    const lines = goosed.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    // The log is there: the requests were logged, at info.
    expect(lines.some((line) => line.msg === 'request')).toBe(true);

    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(goosed.stdout()).not.toMatch(/"stack"|\\n\s+at /);
    expect(goosed.stdout()).not.toContain(KEY);
    const failures = lines.filter((line) => line.level === 40 && /^reply failed/.test(line.msg));
    expect(failures.map((line) => line.code)).toEqual(['provider_auth_failed', 'provider_bad_request', 'provider_unavailable', 'provider_connection_failed']);
    expect(new Set(failures.map((line) => line.message_id)).size).toBe(4);
    expect(failures[0]).toMatchObject({ status: 401, msg: expect.stringContaining('rejected the API key') });
    for (const line of failures) expect(line.err).toBeUndefined();
  }, 60_000);
});
