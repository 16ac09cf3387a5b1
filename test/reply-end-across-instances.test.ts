import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SharedStore } from '../src/store/shared-store.js';
import type { Store } from '../src/store/store.js';
import { createSession, startTestServer, useScriptedProvider, type TestServer } from './support/goosed.js';
import { createTestDatabase } from './support/postgres.js';
import { startScriptedLlm, type ScriptedLlm } from './support/scripted-llm.js';
import { readSse, type SseFrame } from './support/sse-client.js';

// Two instances in this process on one PostgreSQL database. A's store lets go of its reply leases
// only when the test says: the moment between a reply's end (its message_complete out) and its
// lease released — a few round trips on a real network — held open as long as needed.

let llm: ScriptedLlm;
let a: TestServer;
let b: TestServer;
let releaseHeld: Promise<void> | null = null;

/** A's store, its lease releases waiting while `releaseHeld` is set (every call goes through, later). */
function holdingReleases(store: Store): Store {
  const shared = store as SharedStore;
  const leases = new Proxy(shared.leases, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'release' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        await releaseHeld;
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return new Proxy(shared, { get: (target, property) => (property === 'leases' ? leases : Reflect.get(target, property, target)) });
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  llm = await startScriptedLlm();
  a = await startTestServer({ databaseUrl, wrapStore: holdingReleases });
  b = await startTestServer({ databaseUrl });
  await useScriptedProvider(a, llm.url);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await llm?.close();
});

it('a message sent to B right after the end of a reply A ran waits for A to let the session go, not 409', async () => {
  const session = await createSession(a);
  llm.enqueue({ text: ['one ', 'reply'] }, { text: 'next' });
  let release!: () => void;
  releaseHeld = new Promise((resolve) => (release = resolve));
  const following = readSse(await b.request(`/api/sessions/${session.id}/events?after=0`), (frame: SseFrame) => frame.event === 'message_complete');
  const first = a.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'first' } });
  await following;
  // The reply has ended; A still holds the session's lease.
  const next = b.request(`/api/sessions/${session.id}/messages`, { method: 'POST', json: { content: 'next' } });
  setTimeout(() => {
    releaseHeld = null;
    release();
  }, 300);
  const answered = await next;
  expect(answered.status).toBe(200);
  expect((await answered.json()).content).toBe('next');
  expect((await first).status).toBe(200);
});
