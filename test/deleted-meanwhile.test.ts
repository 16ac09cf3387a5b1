import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionRecord, Store } from '../src/store/store.js';
import { stdioFixtureConfig } from './support/extensions.js';
import { createSession, startTestServer, type TestServer } from './support/goosed.js';

// A request on a session that its DELETE overtakes: the request found the session, and its write
// then finds the session's rows gone (the foreign key fails). It answers 404, as a request made
// after the deletion would, not 500. Made certain here by holding the write until the deletion is done.

let goosed: TestServer;
let insertReached!: () => void;
let reached: Promise<void>;
let release!: () => void;
let released: Promise<void>;

/** The store goosed opened, with `extensions.insert` held at the gate (everything else unchanged). */
const holdExtensionInserts = (store: Store): Store =>
  new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'extensions') return typeof value === 'function' ? value.bind(target) : value;
      const extensions = target.extensions;
      return {
        ...extensions,
        insert: async (record: ExtensionRecord) => {
          insertReached();
          await released;
          return extensions.insert(record);
        },
      };
    },
  });

beforeAll(async () => {
  goosed = await startTestServer({ wrapStore: holdExtensionInserts });
});
afterAll(() => goosed?.close());

describe('a request whose session is deleted while it runs', () => {
  it('answers 404 not_found when its write finds the session gone, and the server goes on', async () => {
    reached = new Promise((resolve) => (insertReached = resolve));
    released = new Promise((resolve) => (release = resolve));
    const session = await createSession(goosed);
    const adding = goosed.request(`/api/sessions/${session.id}/extensions`, { method: 'POST', json: { name: 'mine', config: stdioFixtureConfig() } });
    await reached;
    expect((await goosed.request(`/api/sessions/${session.id}`, { method: 'DELETE' })).status).toBe(204);
    release();
    const added = await adding;
    expect(added.status).toBe(404);
    expect(await added.json()).toMatchObject({ code: 'not_found' });
    expect((await goosed.request(`/api/sessions/${session.id}/extensions`)).status).toBe(404);
    expect((await goosed.request('/api/status')).status).toBe(200);
  });
});
