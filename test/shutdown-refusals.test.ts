// Found by the WebSocket fuzzer: a message that arrived while the server was shutting down started
// a reply the shutdown did not wait for; it then wrote to the closed database and the process died
// on an unhandled rejection. Now such a message is refused with `shutting_down`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { createSession, waitFor } from './support/goosed.js';
import { startScriptedServer } from './support/reply-harness.js';

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  await llm.close();
});

describe('a message that arrives during shutdown', () => {
  it('is refused with shutting_down, and the shutdown completes', async () => {
    const goosed = await startScriptedServer(llm);
    const busy = await createSession(goosed);
    const idle = await createSession(goosed);
    // A reply that keeps the shutdown in its grace period (it stalls until cancelled).
    llm.enqueue({ text: ['slow ', 'reply'], fault: { kind: 'stall_after', chunks: 1 } });
    await goosed.request(`/api/sessions/${busy.id}/messages/stream`, { method: 'POST', json: { content: 'go' } });
    await waitFor(async () => (await (await goosed.request(`/api/sessions/${busy.id}`)).json()).status, (s) => s === 'running');

    const ws = new WebSocket(`${goosed.url.replace('http', 'ws')}/api/sessions/${idle.id}/stream`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const events: any[] = [];
    ws.on('message', (data) => events.push(JSON.parse(String(data))));

    const closing = goosed.close();
    llm.setFallback({ text: 'must not run' });
    ws.send(JSON.stringify({ type: 'message', content: 'during shutdown' }));
    await waitFor(() => events.find((e) => e.type === 'error'), Boolean, 5000);
    expect(events.find((e) => e.type === 'error')).toMatchObject({ code: 'shutting_down' });
    expect(events.some((e) => e.type === 'user_message')).toBe(false);
    await closing;
    llm.setFallback(undefined);
    ws.terminate();
  });
});
