// `--idle-exit` (a goosed that `goosed acp` starts for editors): a reply that runs with nobody
// connected keeps the server from being idle; once it has ended and nothing else comes, the server
// is idle. In-process, so the test sees `idle` settle rather than a process exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, startTestServer, useScriptedProvider, waitFor, type TestServer } from './support/goosed.js';
import { addExtension } from './support/extensions.js';
import { readSse } from './support/sse-client.js';

const IDLE_MS = 400;

let llm: ScriptedLlm;
let goosed: TestServer;
beforeAll(async () => {
  llm = await startScriptedLlm();
  goosed = await startTestServer({ settings: { execution_mode: 'auto' }, idleExitMs: IDLE_MS });
  await useScriptedProvider(goosed, llm.url);
  await addExtension(goosed, { name: 'developer', config: { allow_shell: true } });
});
afterAll(async () => {
  await goosed?.close();
  await llm?.close();
});

describe('a server with an idle exit', () => {
  it('is not idle while a reply runs with nobody connected, and is once it has ended', async () => {
    let idle = false;
    void goosed.server.idle.then(() => (idle = true));
    const session = await createSession(goosed);
    // A tool call that outlasts the idle time several times, then a model call that never ends.
    llm.enqueue({ toolCalls: [{ id: 'call_sleep', name: 'developer__shell', arguments: { command: 'sleep 2' } }] }, { text: ['still', ' going'], fault: { kind: 'stall_after', chunks: 1 } });
    const response = await goosed.request(`/api/sessions/${session.id}/messages/stream`, { method: 'POST', json: { content: 'take your time' } });
    // The client goes once the tool runs; the reply goes on without it.
    await readSse(response, (frame) => frame.event === 'tool_use');
    const requestsBefore = llm.requests.length;

    // The model is asked again after the tool: more than 2 s with no request in flight, the reply running throughout.
    await waitFor(() => llm.requests.length > requestsBefore, Boolean, 15_000);
    expect(idle).toBe(false);

    const cancelled = await goosed.request(`/api/sessions/${session.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    await goosed.server.idle;
    expect(idle).toBe(true);
  });
});
