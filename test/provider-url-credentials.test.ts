// Credentials written into a provider's base URL (user:password@, a token as user name, a key in
// the query) are shown masked, as an extension URL's are, and are scrubbed from provider errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, type TestServer } from './support/goosed.js';
import { isReplyEnd, readSse } from './support/sse-client.js';

const PASSWORD = 'pa55w0rd-in-url';
const TOKEN_USER = 't0ken-as-username';
const QUERY_KEY = 'query-api-key-value';
const QUERY_TOKEN = 'query-token-value';
const SECRETS = [PASSWORD, TOKEN_USER, QUERY_KEY, QUERY_TOKEN];

let llm: ScriptedLlm;
let goosed: TestServer;
let host: string;
beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startTestServer();
  host = new URL(llm.url).host;
});
afterAll(async () => {
  await goosed.close();
  await llm.close();
});

const configure = async (name: string, baseUrl: string) => {
  const response = await goosed.request('/api/providers', { method: 'POST', json: { name, api_key: 'sk-url-credentials-000000', model: 'm', base_url: baseUrl } });
  expect(response.status).toBe(200);
  return response.json();
};

/** Everything a client can read about providers. */
async function providerAnswers(): Promise<string> {
  return [await (await goosed.request('/api/providers')).text(), await (await goosed.request('/api/providers/current')).text()].join('\n');
}

/** A reply that fails, read three ways: the synchronous answer, the stream's error event, and the replay of the session's events. */
async function failedReplyTexts(): Promise<string[]> {
  const session = await createSession(goosed);
  const answer = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { role: 'user', content: 'hello' } });
  expect(answer.status).toBeGreaterThanOrEqual(400);
  const stream = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'again' } });
  const frames = await readSse(stream, isReplyEnd);
  expect(frames.at(-1)?.event).toBe('error');
  const replay = await readSse(await goosed.request(`/api/sessions/${session.id}/events?after=0`), (_frame, all) => all.filter((f) => f.event === 'error').length >= 2);
  return [await answer.text(), JSON.stringify(frames), JSON.stringify(replay)];
}

describe('a provider base URL with credentials', () => {
  it('is shown with the password masked by POST, GET /api/providers and /api/providers/current', async () => {
    const configured = await configure('openai', `http://gooseuser:${PASSWORD}@${host}/v1`);
    expect(configured.base_url).toBe(`http://gooseuser:********@${host}/v1`);
    const shown = await providerAnswers();
    expect(shown).toContain(`http://gooseuser:********@${host}/v1`);
    for (const secret of SECRETS) expect(shown).not.toContain(secret);
  });

  it('is shown with a token standing as user name, and key / token query parameters, masked', async () => {
    const configured = await configure('openai_compatible', `http://${TOKEN_USER}@${host}/v1?api_key=${QUERY_KEY}&token=${QUERY_TOKEN}&key=${QUERY_KEY}&region=eu`);
    expect(configured.base_url).toBe(`http://********@${host}/v1?api_key=********&token=********&key=********&region=eu`);
    const shown = await providerAnswers();
    for (const secret of SECRETS) expect(shown).not.toContain(secret);
  });

  it('sent back as shown keeps the stored one', async () => {
    // A provider endpoint that records the URLs it is asked for (and knows none of them).
    const asked: string[] = [];
    const recorder = createServer((request, response) => {
      asked.push(request.url ?? '');
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"nothing here"}}');
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    try {
      const port = (recorder.address() as AddressInfo).port;
      const shown = (await configure('openai', `http://127.0.0.1:${port}/v1?token=${QUERY_TOKEN}`)).base_url;
      expect(shown).toBe(`http://127.0.0.1:${port}/v1?token=********`);
      // Sent back as shown, with another model: the stored token stays, the mask is not saved in its place.
      const response = await goosed.request('/api/providers', { method: 'POST', json: { name: 'openai', model: 'other', base_url: shown } });
      expect(response.status).toBe(200);
      await failedReplyTexts();
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((url) => url.includes(`token=${QUERY_TOKEN}`))).toBe(true);
    } finally {
      recorder.close();
    }
  });

  it('is scrubbed from the errors of the replies that use it', async () => {
    for (const [name, baseUrl] of [
      ['openai', `http://gooseuser:${PASSWORD}@${host}/v1`],
      ['anthropic', `http://${TOKEN_USER}@${host}/v1`],
    ] as const) {
      await configure(name, baseUrl);
      for (const text of await failedReplyTexts()) {
        for (const secret of SECRETS) expect(text, `${name}: ${text}`).not.toContain(secret);
      }
    }
  });

  it('a URL with credentials quoted in a provider error is scrubbed too', async () => {
    await configure('openai', `${llm.url}/v1`);
    const quoted = `upstream http://proxyuser:${PASSWORD}@10.0.0.9/v1/chat?token=${QUERY_TOKEN}&alt=sse refused`;
    llm.enqueue({ fault: { kind: 'status', status: 400, message: quoted } }, { fault: { kind: 'status', status: 400, message: quoted } });
    const texts = await failedReplyTexts();
    for (const text of texts) {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(text).toContain('alt=sse');
      expect(text).toContain('proxyuser');
    }
  });
});
