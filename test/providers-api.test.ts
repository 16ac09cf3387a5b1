import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, type TestServer } from './support/goosed.js';

const KEY = 'sk-ant-secret-value-9876';
let llm: ScriptedLlm;
let goosed: TestServer;

beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startTestServer();
});
afterAll(async () => {
  await goosed.close();
  await llm.close();
});

describe('providers, as the seed shows them', () => {
  it('lists every supported provider, none configured at first', async () => {
    const response = await goosed.request('/api/providers');
    expect(response.status).toBe(200);
    const providers = await response.json();
    expect(providers.map((p: { name: string }) => p.name).sort()).toEqual(['anthropic', 'google', 'ollama', 'openai', 'openai_compatible']);
    const anthropic = providers.find((p: { name: string }) => p.name === 'anthropic');
    expect(anthropic).toMatchObject({ configured: false, current: false, requires_api_key: true, api_key_hint: null, api_key_env: ['ANTHROPIC_API_KEY'] });
    expect((await goosed.request('/api/providers/current')).status).toBe(404);
  });

  it("configures one with the seed's body, makes it current, and never shows the key", async () => {
    const response = await goosed.request('/api/providers', { method: 'POST', json: { name: 'anthropic', api_key: KEY, model: 'claude-sonnet-4-5', base_url: `${llm.url}/v1` } });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).not.toContain(KEY);
    expect(JSON.parse(body)).toEqual({ name: 'anthropic', model: 'claude-sonnet-4-5', base_url: `${llm.url}/v1` });
    const current = await goosed.request('/api/providers/current');
    expect(await current.json()).toEqual({ name: 'anthropic', model: 'claude-sonnet-4-5', base_url: `${llm.url}/v1` });
    const listed = await (await goosed.request('/api/providers')).text();
    expect(listed).not.toContain(KEY);
    const anthropic = JSON.parse(listed).find((p: { name: string }) => p.name === 'anthropic');
    expect(anthropic).toMatchObject({ configured: true, current: true, api_key_hint: '****9876', api_key_source: 'stored' });

    const session = await createSession(goosed);
    llm.enqueue({ text: 'hello from claude' });
    const reply = await goosed.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } });
    expect((await reply.json()).content).toBe('hello from claude');
    expect(llm.requests.at(-1)!.headers['x-api-key']).toBe(KEY);
  });

  it('refuses an unknown provider, a missing key or model, and a base URL that is not one', async () => {
    const cases = [
      { name: 'skynet', api_key: 'x', model: 'm' },
      { name: 'openai', model: 'gpt-4o' },
      { name: 'openai', api_key: 'x' },
      { name: 'openai_compatible', model: 'm' },
      { name: 'openai', api_key: 'x', model: 'm', base_url: 'not a url' },
    ];
    for (const body of cases) {
      const response = await goosed.request('/api/providers', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).code).toMatch(/invalid_request|invalid_provider/);
    }
    expect(await (await goosed.request('/api/providers/current')).json()).toMatchObject({ name: 'anthropic' });
  });

  it('forgets a provider with DELETE', async () => {
    expect((await goosed.request('/api/providers/anthropic', { method: 'DELETE' })).status).toBe(204);
    expect((await goosed.request('/api/providers/current')).status).toBe(404);
    expect((await goosed.request('/api/providers/anthropic', { method: 'DELETE' })).status).toBe(404);
    expect((await goosed.request('/api/providers/skynet', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('providers from the environment', () => {
  it('takes the provider from GOOSE_PROVIDER / GOOSE_MODEL and the key from the usual variable', async () => {
    const fromEnv = await startTestServer({
      env: { GOOSE_PROVIDER: 'openai', GOOSE_MODEL: 'gpt-env', OPENAI_API_KEY: 'sk-from-env-1234', OPENAI_BASE_URL: `${llm.url}/v1` },
    });
    try {
      expect(await (await fromEnv.request('/api/providers/current')).json()).toMatchObject({ name: 'openai', model: 'gpt-env' });
      const openai = (await (await fromEnv.request('/api/providers')).json()).find((p: { name: string }) => p.name === 'openai');
      expect(openai).toMatchObject({ configured: true, current: true, api_key_source: 'environment', api_key_hint: '****1234' });
      const session = await createSession(fromEnv);
      llm.enqueue({ text: 'configured by the environment' });
      const reply = await fromEnv.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'hi' } });
      expect((await reply.json()).content).toBe('configured by the environment');
      expect(llm.requests.at(-1)!.headers.authorization).toBe('Bearer sk-from-env-1234');
      expect(llm.requests.at(-1)!.body.model).toBe('gpt-env');
    } finally {
      await fromEnv.close();
    }
  });
});

describe('configured means set up', () => {
  const configured = async (server: TestServer) =>
    Object.fromEntries(((await (await server.request('/api/providers')).json()) as { name: string; configured: boolean }[]).map((p) => [p.name, p.configured]));

  it('on a fresh install no provider is configured, Ollama included', async () => {
    const fresh = await startTestServer();
    try {
      expect(await configured(fresh)).toEqual({ anthropic: false, openai: false, openai_compatible: false, ollama: false, google: false });
      // Set up through the API, it is.
      const response = await fresh.request('/api/providers', { method: 'POST', json: { name: 'ollama', model: 'qwen2.5' } });
      expect(response.status).toBe(200);
      expect((await configured(fresh)).ollama).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('Ollama is configured by OLLAMA_HOST or GOOSE_PROVIDER; an OpenAI-compatible server by its base URL', async () => {
    for (const env of [{ OLLAMA_HOST: 'gpu-box:11434' }, { GOOSE_PROVIDER: 'ollama' }]) {
      const server = await startTestServer({ env });
      try {
        expect(await configured(server), JSON.stringify(env)).toMatchObject({ ollama: true, openai_compatible: false });
      } finally {
        await server.close();
      }
    }
    const compatible = await startTestServer({ env: { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:1234/v1' } });
    try {
      expect(await configured(compatible)).toEqual({ anthropic: false, openai: false, openai_compatible: true, ollama: false, google: false });
    } finally {
      await compatible.close();
    }
  });
});
