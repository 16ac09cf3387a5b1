// Bad input, generated from the OpenAPI document (see test/support/fuzz/): a bounded number of
// cases here; `npm run fuzz` sends many more against a goosed process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { createSession, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { runHttpFuzz } from './support/fuzz/run-http-fuzz.js';
import { runWsFuzz } from './support/fuzz/run-ws-fuzz.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_125);
const BODY_LIMIT = 2 * 1024 * 1024;

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
beforeAll(async () => {
  harness = await startReplyHarness({ bodyLimitBytes: BODY_LIMIT });
  ({ llm, goosed } = harness);
  llm.setFallback({ text: 'ok' });
});
afterAll(() => harness?.close());

describe('fuzzing every route from the OpenAPI document', () => {
  it('answers every malformed request with {error, code}, never a 5xx, and keeps the database intact', async () => {
    const port = Number(new URL(goosed.url).port);
    const stats = await runHttpFuzz({ port, cases: 1500, seed: SEED, bodyLimitBytes: BODY_LIMIT, workingDirectory: goosed.dataDir, llmUrl: llm.url });
    expect(stats.failures.slice(0, 5), `seed ${SEED}`).toEqual([]);
    expect(stats.serverErrors).toBe(0);
    expect(stats.sent).toBe(1500);
    // The cases reached past validation too: successes and several kinds of refusal.
    expect(Object.keys(stats.byStatus).filter((s) => Number(s) < 300).length).toBeGreaterThan(0);
    expect(Object.keys(stats.byStatus).length).toBeGreaterThan(4);
    expect((await goosed.request('/api/status')).status).toBe(200);
    const db = new Database(join(goosed.dataDir, 'goosed.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 120_000);

  it('answers every malformed WebSocket frame with an error event and keeps the connection', async () => {
    const port = Number(new URL(goosed.url).port);
    const sessions = [await createSession(goosed), await createSession(goosed)];
    const stats = await runWsFuzz({ port, frames: 300, seed: SEED, sessionIds: sessions.map((s) => s.id), workingDirectory: goosed.dataDir, llmUrl: llm.url });
    expect(stats.failures.slice(0, 5), `seed ${SEED}`).toEqual([]);
    expect(stats.sent).toBe(300);
    expect(stats.errorEvents).toBeGreaterThan(100);
    expect((await goosed.request('/api/status')).status).toBe(200);
  }, 120_000);
});
