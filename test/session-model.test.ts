import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, useScriptedProvider, type TestServer } from './support/goosed.js';
import { readSse } from './support/sse-client.js';

// A session may use another provider and model than the server's current ones: PATCH
// /api/sessions/{id} with `provider` / `model` (validated), and its replies use them. Each reply
// records the provider and model that wrote it.

let llm: ScriptedLlm;
let goosed: TestServer;

beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startTestServer();
  // Anthropic is configured first, then OpenAI, which is current (configuring makes a provider current).
  const anthropic = await goosed.request('/api/providers', {
    method: 'POST',
    json: { name: 'anthropic', api_key: 'sk-ant-test-key-0001', model: 'claude-stored', base_url: `${llm.url}/v1` },
  });
  expect(anthropic.status).toBe(200);
  await useScriptedProvider(goosed, llm.url, 'openai');
});
afterAll(async () => {
  await goosed?.close();
  await llm?.close();
});

const patch = (id: string, body: Record<string, unknown>) => goosed.request(`/api/sessions/${id}`, { method: 'PATCH', json: body });

/** Sends a message; answers the assistant message and the request the scripted LLM got for it. */
async function reply(id: string, text: string) {
  llm.enqueue({ text });
  const response = await goosed.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'hi' } });
  expect(response.status).toBe(200);
  const request = llm.requests.at(-1)!;
  return { message: await response.json(), request: { provider: request.provider, model: request.model } };
}

describe('a session with a provider and model of its own', () => {
  it('follows the current provider until it chooses one; its replies then use what it chose, and say so', async () => {
    const { id, ...created } = await createSession(goosed);
    expect(created).toMatchObject({ provider: null, model: null });
    expect(await reply(id, 'from the current one')).toMatchObject({
      message: { content: 'from the current one', provider: 'openai', model: 'scripted-model' },
      request: { provider: 'openai', model: 'scripted-model' },
    });

    // Another provider: its configured model.
    const chosen = await patch(id, { provider: 'anthropic' });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({ id, provider: 'anthropic', model: null });
    expect(await reply(id, 'from claude')).toMatchObject({
      message: { content: 'from claude', provider: 'anthropic', model: 'claude-stored' },
      request: { provider: 'anthropic', model: 'claude-stored' },
    });

    // A model of that provider.
    expect(await (await patch(id, { model: 'claude-chosen' })).json()).toMatchObject({ provider: 'anthropic', model: 'claude-chosen' });
    expect(await reply(id, 'from the chosen model')).toMatchObject({
      message: { provider: 'anthropic', model: 'claude-chosen' },
      request: { provider: 'anthropic', model: 'claude-chosen' },
    });

    // The server's current provider did not change, and other sessions still follow it.
    expect(await (await goosed.request('/api/providers/current')).json()).toMatchObject({ name: 'openai', model: 'scripted-model' });
    const other = await createSession(goosed);
    expect((await reply(other.id, 'elsewhere')).request).toEqual({ provider: 'openai', model: 'scripted-model' });

    // Back to following the current provider (the model goes with it).
    expect(await (await patch(id, { provider: null })).json()).toMatchObject({ provider: null, model: null });
    expect((await reply(id, 'current again')).request).toEqual({ provider: 'openai', model: 'scripted-model' });

    // The history keeps who wrote each reply; user messages have none.
    const history = await (await goosed.request(`/api/sessions/${id}/messages`)).json();
    expect(history.map((m: { role: string; provider: string | null; model: string | null }) => [m.role, m.provider, m.model])).toEqual([
      ['user', null, null],
      ['assistant', 'openai', 'scripted-model'],
      ['user', null, null],
      ['assistant', 'anthropic', 'claude-stored'],
      ['user', null, null],
      ['assistant', 'anthropic', 'claude-chosen'],
      ['user', null, null],
      ['assistant', 'openai', 'scripted-model'],
    ]);

    // An export carries who wrote each reply, and an import keeps it.
    const exported = await (await goosed.request(`/api/sessions/${id}/export`)).json();
    expect(exported.messages[3]).toMatchObject({ role: 'assistant', provider: 'anthropic', model: 'claude-stored' });
    const imported = await (await goosed.request('/api/sessions/import', { method: 'POST', json: exported })).json();
    expect(imported.messages.map((m: { provider: string | null; model: string | null }) => [m.provider, m.model])).toEqual(
      history.map((m: { provider: string | null; model: string | null }) => [m.provider, m.model]),
    );
  });

  it('sets provider and model together, and clears the model when the provider changes', async () => {
    const { id } = await createSession(goosed);
    expect(await (await patch(id, { provider: 'anthropic', model: 'claude-together' })).json()).toMatchObject({ provider: 'anthropic', model: 'claude-together' });
    expect(await (await patch(id, { provider: 'openai' })).json()).toMatchObject({ provider: 'openai', model: null });
    expect(await (await patch(id, { provider: 'openai', model: 'gpt-chosen' })).json()).toMatchObject({ provider: 'openai', model: 'gpt-chosen' });
    // The same provider again keeps the model; a rename keeps both.
    expect(await (await patch(id, { provider: 'openai' })).json()).toMatchObject({ provider: 'openai', model: 'gpt-chosen' });
    expect(await (await patch(id, { name: 'renamed' })).json()).toMatchObject({ name: 'renamed', provider: 'openai', model: 'gpt-chosen' });
    // Every follower hears of it.
    const frames = await readSse(await goosed.request(`/api/sessions/${id}/events?after=0`), (frame) => frame.data.session?.name === 'renamed');
    const updates = frames.filter((frame) => frame.event === 'session_updated').map((frame) => [frame.data.session.provider, frame.data.session.model]);
    expect(updates).toEqual([
      ['anthropic', 'claude-together'],
      ['openai', null],
      ['openai', 'gpt-chosen'],
      ['openai', 'gpt-chosen'],
      ['openai', 'gpt-chosen'],
    ]);
  });

  it('refuses a provider that is not set up, one goosed does not know, a model without a provider, and an empty model', async () => {
    const { id } = await createSession(goosed);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ provider: 'google' }, 'provider_not_configured', 'The provider google is not configured: set it up first (POST /api/providers, or its environment variables).'],
      [
        { provider: 'skynet' },
        'invalid_request',
        'The request body is not valid: provider must be one of "anthropic", "openai", "openai_compatible", "ollama", "google", null.',
      ],
      [{ model: 'gpt-4o' }, 'invalid_model', 'model needs a provider: give provider too (null provider follows the current one, with its model).'],
      [{ provider: null, model: 'gpt-4o' }, 'invalid_model', 'model needs a provider: give provider too (null provider follows the current one, with its model).'],
      [{ provider: 'openai', model: '' }, 'invalid_request', 'The request body is not valid: model must not be empty.'],
      [{ provider: 'openai', model: '   ' }, 'invalid_request', 'The request body is not valid: model must not be empty.'],
    ];
    for (const [body, code, error] of cases) {
      const response = await patch(id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = await response.json();
      expect(answer, JSON.stringify(body)).toEqual({ code, error });
    }
    // Nothing changed.
    expect(await (await goosed.request(`/api/sessions/${id}`)).json()).toMatchObject({ provider: null, model: null });
  });

  it('a provider forgotten after a session chose it: the message is refused whole, with the reason', async () => {
    const { id } = await createSession(goosed);
    expect((await patch(id, { provider: 'anthropic' })).status).toBe(200);
    expect((await goosed.request('/api/providers/anthropic', { method: 'DELETE' })).status).toBe(204);
    const requests = llm.requests.length;
    const response = await goosed.request(`/api/sessions/${id}/messages`, { method: 'POST', json: { content: 'hi' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'no_provider', error: 'Anthropic needs an API key: give api_key or set ANTHROPIC_API_KEY.' });
    expect(llm.requests.length).toBe(requests);
    expect((await goosed.request(`/api/sessions/${id}/messages`).then((r) => r.json())).length).toBe(0);
  });
});
