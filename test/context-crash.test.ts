import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startScriptedLlm, isSummaryRequest, type ScriptedLlm } from './support/scripted-llm.js';
import { removeDirectory, temporaryDirectory, waitFor, type GoosedProcess } from './support/goosed.js';
import { buildGoosedBundle, spawnBundledGoosed, type GoosedBundle } from './support/goosed-bundle.js';
import { factEchoingModel, longMessage } from './support/context-script.js';

// goosed killed (SIGKILL) while the model writes a summary inside a reply, then started again on
// the same data directory: no message is lost, no half-written summary reaches a prompt, and the
// next message compacts again.

let llm: ScriptedLlm;
let bundle: GoosedBundle;
let dir: string;
beforeAll(async () => {
  [llm, bundle] = await Promise.all([startScriptedLlm(), buildGoosedBundle()]);
  dir = temporaryDirectory('goosed-context-crash-');
});
afterAll(async () => {
  await llm?.close();
  bundle?.remove();
  if (dir) removeDirectory(dir);
});

const post = (url: string, body?: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
const get = async (url: string) => (await fetch(url)).json();

describe('a compaction cut short by a crash', () => {
  it('leaves the history whole and the session usable', async () => {
    const args = ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml')];
    let goosed: GoosedProcess = await spawnBundledGoosed(bundle, args);
    try {
      llm.setFallback(factEchoingModel());
      await post(`${goosed.url}/api/providers`, { name: 'openai', api_key: 'sk-context-crash-key', model: 'm', base_url: `${llm.url}/v1`, context_limit: 2000 });
      const session = await (await post(`${goosed.url}/api/sessions`, { name: 'crash' })).json();
      const messages = `${goosed.url}/api/sessions/${session.id}/messages`;
      for (let i = 0; i < 3; i++) expect((await post(messages, { content: longMessage(i, 400, i === 0 ? 'FACT: the crash test key is K-77. ' : '') })).status).toBe(200);
      expect(await get(`${goosed.url}/api/sessions/${session.id}/summaries`)).toEqual([]);

      // The fourth message passes the threshold: the summary is asked for, and never finishes.
      llm.enqueue({ match: isSummaryRequest, text: ['half ', 'a summary'], fault: { kind: 'stall_after', chunks: 1 } });
      const summaryRequests = llm.requests.filter(isSummaryRequest).length;
      void post(`${messages}/stream`, { content: longMessage(3, 400) }).then((response) => response.text()).catch(() => {});
      await waitFor(() => llm.requests.filter(isSummaryRequest).length > summaryRequests);
      goosed.child.kill('SIGKILL');
      await goosed.exited;

      goosed = await spawnBundledGoosed(bundle, args);
      await waitFor(async () => (await get(`${goosed.url}/api/sessions/${session.id}`)).status, (status) => status === 'idle');
      const history = await get(`${goosed.url}/api/sessions/${session.id}/messages`);
      expect(history.map((m: any) => [m.role, m.status])).toEqual([
        ...Array.from({ length: 3 }, () => [['user', 'complete'], ['assistant', 'complete']]).flat(),
        ['user', 'complete'],
        ['assistant', 'interrupted'],
      ]);
      expect(history[6].content).toBe(longMessage(3, 400));
      expect(await get(`${goosed.url}/api/sessions/${session.id}/summaries`)).toEqual([]);

      // The next message compacts again (the fallback summarises), and the prompt carries the summary.
      const next = await post(`${goosed.url}/api/sessions/${session.id}/messages`, { content: 'Which key was it?' });
      expect(await next.json()).toMatchObject({ status: 'complete' });
      const summaries = await get(`${goosed.url}/api/sessions/${session.id}/summaries`);
      expect(summaries).toHaveLength(1);
      expect(summaries[0].text).toContain('FACT: the crash test key is K-77.');
      const prompt = JSON.stringify(llm.requests.filter((request) => !isSummaryRequest(request)).at(-1)!.body.messages);
      expect(prompt).toContain(summaries[0].text);
      expect(prompt).not.toContain('half a summary');
      expect(await get(`${goosed.url}/api/sessions/${session.id}/messages`)).toHaveLength(10);
    } finally {
      goosed.child.kill('SIGTERM');
      await goosed.exited;
    }
    const db = new Database(join(dir, 'data', 'goosed.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
