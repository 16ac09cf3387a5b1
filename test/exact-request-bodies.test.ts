import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoosedClient, type GoosedClient } from '../src/client/index.js';
import { removeDirectory, startTestServer, type TestServer } from './support/goosed.js';

// A misspelled field in a request body is an error twice: the typed client refuses to compile it
// (each `@ts-expect-error` below fails `npm run typecheck` if the call type-checks), and goosed
// answers 400 naming the field instead of ignoring it. Each call is sent as written.

let goosed: TestServer;
let client: GoosedClient;
let sessionId: string;

beforeAll(async () => {
  goosed = await startTestServer();
  client = createGoosedClient({ baseUrl: goosed.url });
  const created = await client.POST('/api/sessions', { body: { name: 'exact bodies' } });
  sessionId = created.data!.id;
});
afterAll(async () => {
  await goosed?.close();
  if (goosed) removeDirectory(goosed.dataDir);
});

const id = () => ({ path: { id: sessionId } });

/** The 400 of a call whose body had `field` misspelled. */
async function expectUnknownField(call: Promise<{ response: Response; error?: unknown }>, field: string): Promise<void> {
  const { response, error } = await call;
  expect(response.status).toBe(400);
  expect(error).toEqual({ code: 'invalid_request', error: `The request body is not valid: it has an unknown field "${field}".` });
}

describe('a misspelled field in a request body', () => {
  it('is refused by every route that takes a body, naming the field', async () => {
    // @ts-expect-error: nam is not a field of CreateSessionRequest
    await expectUnknownField(client.POST('/api/sessions', { body: { nam: 'x' } }), 'nam');
    // @ts-expect-error: working_dir is not a field (working_directory is)
    await expectUnknownField(client.POST('/api/sessions', { body: { name: 'x', working_dir: '/tmp' } }), 'working_dir');
    // @ts-expect-error: nam is not a field of UpdateSessionRequest
    await expectUnknownField(client.PATCH('/api/sessions/{id}', { params: id(), body: { nam: 'x' } }), 'nam');
    // @ts-expect-error: rol is not a field of SendMessageRequest
    await expectUnknownField(client.POST('/api/sessions/{id}/messages', { params: id(), body: { content: 'hi', rol: 'user' } }), 'rol');
    // @ts-expect-error: queued is not a field (queue is)
    await expectUnknownField(client.POST('/api/sessions/{id}/messages/stream', { params: id(), body: { content: 'hi', queued: true } }), 'queued');
    await expectUnknownField(
      // @ts-expect-error: modle is not a field of ConfigureProviderRequest
      client.POST('/api/providers', { body: { name: 'ollama', model: 'qwen2.5', modle: 'qwen2.5' } }),
      'modle',
    );
    // @ts-expect-error: enabld is not a field of AddExtensionRequest
    await expectUnknownField(client.POST('/api/extensions', { body: { name: 'developer', config: {}, enabld: false } }), 'enabld');
    // @ts-expect-error: enable is not a field of UpdateExtensionRequest
    await expectUnknownField(client.PATCH('/api/extensions/{id}', { params: { path: { id: 'developer' } }, body: { enable: false } }), 'enable');
    // @ts-expect-error: max_turn is not a setting
    await expectUnknownField(client.PATCH('/api/config', { body: { max_turn: 3 } }), 'max_turn');
    await expectUnknownField(
      // @ts-expect-error: decison is not a field of ResolveApprovalRequest
      client.POST('/api/sessions/{id}/approvals/{approval_id}', { params: { path: { id: sessionId, approval_id: 'a' } }, body: { decision: 'deny', decison: 'deny' } }),
      'decison',
    );
  });

  it('is refused in an import, at the top and inside the exported session', async () => {
    const exported = (await client.GET('/api/sessions/{id}/export', { params: id() })).data!;
    // @ts-expect-error: working_dir is not a field of ImportSessionRequest
    await expectUnknownField(client.POST('/api/sessions/import', { body: { ...exported, working_dir: '/tmp' } }), 'working_dir');
    const { response, error } = await client.POST('/api/sessions/import', {
      // @ts-expect-error: titel is not a field of an exported session
      body: { ...exported, session: { ...exported.session, titel: 'x' } },
    });
    expect(response.status).toBe(400);
    expect(error).toEqual({ code: 'invalid_request', error: 'The request body is not valid: session has an unknown field "titel".' });
  });

  it("leaves the seed's documented fields alone: role \"user\" with a message", async () => {
    // No provider is configured: the message passes validation and is refused for that reason.
    const { response, error } = await client.POST('/api/sessions/{id}/messages', { params: id(), body: { content: 'hi', role: 'user' } });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ code: 'no_provider' });
  });
});
