// What must hold when several goosed instances use one database at once: the store contract for
// stores open side by side (any store on a shared file or server), and the SharedStore additions
// (src/store/shared-store.ts). Called by storeContract (store-contract.ts) for stores that offer it.
import { describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL, LEASES_CHANNEL, SETTINGS_CHANNEL, type SharedStore } from '../../src/store/shared-store.js';
import type { Store } from '../../src/store/store.js';
import { waitFor } from './goosed.js';
import { newMessage, newSession, tick } from './store-records.js';

export interface StoresUnderTest {
  store: Store;
  /** A second store on the same database, as a second instance would open it. */
  alongside(): Promise<Store>;
}

export interface SharedStoreUnderTest {
  store: SharedStore;
  alongside(): Promise<SharedStore>;
  /** Cuts the connections the stores listen on. */
  cutListeners(): Promise<void>;
}

/** Runs `count` calls, alternating between the stores, all at once. */
function alternating<S, T>(stores: readonly S[], count: number, call: (store: S, index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(stores[index % stores.length], index)));
}

/** Has each store open connections for `count` calls at once: a race is then not spread out by connecting. */
async function warmUp(stores: readonly Store[], count: number): Promise<void> {
  await alternating(stores, count * stores.length, (store) => store.getSession('warm-up'));
}

/** Payloads arriving on a channel, and a way to wait for one. */
async function listen(store: SharedStore, channel: string) {
  const payloads: string[] = [];
  let reconnects = 0;
  const stop = await store.notifications.subscribe(
    channel,
    (payload) => payloads.push(payload),
    () => reconnects++,
  );
  return {
    payloads,
    reconnects: () => reconnects,
    received: (payload: string) => waitFor(() => payloads.includes(payload)),
    stop,
  };
}

export function severalStoresContract(current: () => StoresUnderTest): void {
  describe('several stores on one database', () => {
    it('never hand out the same seq numbers, reserving at once', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('s'));
      await warmUp([store, other], 10);
      const blocks = await alternating([store, other], 20, (each) => each.reserveSeq('s', 10));
      const floors = blocks.map((block) => block.floor).sort((a, b) => a - b);
      expect(floors).toEqual(Array.from({ length: 20 }, (_, index) => index * 10));
      for (const block of blocks) expect(block.ceiling).toBe(block.floor + 10);
    });

    it('give every message added at once a place of its own, and take a client id once', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('s'));
      await alternating([store, other], 20, (each, index) => each.addMessage(newMessage('s', `m${index}`)));
      const listed = (await other.listMessages('s', {})).items;
      expect(listed.map((message) => message.id).sort()).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`).sort());
      expect((await store.getSession('s'))!.message_count).toBe(20);

      const attempts = await Promise.allSettled(
        [store, other, store, other].map((each, index) => each.addMessage(newMessage('s', `again${index}`, { client_id: 'same' }))),
      );
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      expect((await store.getSession('s'))!.message_count).toBe(21);
    });
  });
}

export function sharedStoreContract(current: () => SharedStoreUnderTest): void {
  describe('shared by several instances: events', () => {
    it('numbers events appended at once from two instances: each seq once, committed in order, after the reserved blocks', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('s'));
      await store.reserveSeq('s', 5);
      // Readers meanwhile must never see a gap that fills in later: what is committed is a prefix.
      let appending = true;
      const gaps: number[][] = [];
      const reading = (async () => {
        while (appending) {
          const seqs = (await other.sharedEvents.read('s', 5, 1000)).map((stored) => stored.seq);
          if (!seqs.every((seq, index) => seq === 6 + index)) gaps.push(seqs);
        }
      })();
      const lasts = await alternating([store, other], 30, (each, index) =>
        each.sharedEvents.append(
          's',
          Array.from({ length: 1 + (index % 3) }, (_, part) => ({ json: JSON.stringify({ type: 'content_delta', batch: index, part }), live: part === 1 })),
        ),
      );
      appending = false;
      await reading;
      expect(gaps).toEqual([]);

      const stored = await store.sharedEvents.read('s', 5, 1000);
      expect(stored.map((each) => each.seq)).toEqual(Array.from({ length: 60 }, (_, index) => 6 + index));
      const bodies = stored.map((each) => JSON.parse(each.json) as { seq: number; batch: number; part: number });
      bodies.forEach((body, index) => expect(body.seq).toBe(stored[index].seq));
      // A batch's events are consecutive, in the order given, ending at the seq its append answered.
      lasts.forEach((last, batch) => {
        const mine = bodies.filter((body) => body.batch === batch);
        expect(mine.map((body) => body.part)).toEqual(Array.from({ length: 1 + (batch % 3) }, (_, part) => part));
        expect(mine.map((body) => body.seq)).toEqual(mine.map((_, part) => last - mine.length + 1 + part));
      });
      // Durable events are in the session's log as any stored event is; the counter goes on after them.
      expect((await store.listEvents('s', 0, 1000)).map((event) => event.seq)).toEqual(stored.filter((_, index) => JSON.parse(stored[index].json).part !== 1).map((each) => each.seq));
      expect((await other.reserveSeq('s', 10)).floor).toBe(65);
    });

    it('tells every instance of each append: the session and its last seq', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('s'));
      const heard = await listen(other, EVENTS_CHANNEL);
      const last = await store.sharedEvents.append('s', [{ json: '{"type":"content_delta","delta":"hi"}', live: true }]);
      await heard.received(`s ${last}`);
      await heard.stop();
    });

    it('keeps live events until they are pruned, durable ones for good', async () => {
      const { store } = current();
      await store.createSession(newSession('s'));
      await store.sharedEvents.append('s', [
        { json: '{"type":"message_start"}', live: false },
        { json: '{"type":"content_delta","delta":"a"}', live: true },
        { json: '{"type":"content_delta","delta":"b"}', live: true },
        { json: '{"type":"message_complete"}', live: false },
      ]);
      // The last seq committed, whichever kind: what a follower on any instance is behind of.
      expect(await store.sharedEvents.last('s')).toBe(4);
      expect(await store.sharedEvents.last('nope')).toBeNull();
      expect(await store.sharedEvents.pruneLive(60_000)).toBe(0);
      expect(await store.sharedEvents.read('s', 0, 10)).toHaveLength(4);
      expect(await store.sharedEvents.pruneLive(0)).toBe(2);
      expect((await store.sharedEvents.read('s', 0, 10)).map((each) => [each.seq, JSON.parse(each.json).type])).toEqual([
        [1, 'message_start'],
        [4, 'message_complete'],
      ]);
      expect(await store.sharedEvents.read('s', 1, 1)).toEqual([{ seq: 4, json: '{"seq":4,"type":"message_complete"}' }]);
    });

    it('refuses events of no session, and JSON it cannot number', async () => {
      const { store } = current();
      await expect(store.sharedEvents.append('nope', [{ json: '{"type":"x"}', live: false }])).rejects.toMatchObject({ code: 'not_found' });
      await store.createSession(newSession('s'));
      for (const json of ['{}', '[1]', '"text"']) await expect(store.sharedEvents.append('s', [{ json, live: false }])).rejects.toThrow();
      expect(await store.sharedEvents.read('s', 0, 10)).toEqual([]);
      // Deleting the session takes its events, live ones too.
      await store.sharedEvents.append('s', [{ json: '{"type":"a"}', live: true }, { json: '{"type":"b"}', live: false }]);
      await store.deleteSession('s');
      expect(await store.sharedEvents.read('s', 0, 10)).toEqual([]);
    });

    it('let a session be deleted while its events, messages and lease are written: the delete succeeds, each write is stored or NotFound', async () => {
      const { store } = current();
      const unexpected: unknown[] = [];
      const storedOrGone = (write: Promise<unknown>) =>
        write.catch((error: { code?: string }) => {
          if (error?.code !== 'not_found') unexpected.push(error);
        });
      for (let i = 0; i < 60; i++) {
        const id = `deleted-${i}`;
        await store.createSession(newSession(id));
        const writes = [
          ...Array.from({ length: 3 }, () => storedOrGone(store.sharedEvents.append(id, [{ json: '{"type":"x"}', live: i % 2 === 0 }]))),
          storedOrGone(store.addMessage(newMessage(id, `m-${i}`))),
          storedOrGone(store.leases.acquire(id, 'owner', null, 10_000)),
        ];
        // The writes are on their way to the database when the DELETE is sent.
        await new Promise((resolve) => setImmediate(resolve));
        await store.deleteSession(id).catch((error) => unexpected.push(error));
        await Promise.all(writes);
        expect(await store.getSession(id)).toBeNull();
      }
      // Before the counter was locked first, PostgreSQL found a deadlock here and aborted the DELETE or an append.
      expect(unexpected).toEqual([]);
    });
  });

  describe('shared by several instances: reply leases', () => {
    it('give a session one lease, whoever races for it', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('s'));
      await warmUp([store, other], 5);
      const taken = await alternating([store, other], 10, (each, index) => each.leases.acquire('s', `instance-${index}`, null, 60_000));
      expect(taken.filter(Boolean)).toHaveLength(1);
      const owner = `instance-${taken.indexOf(true)}`;
      const lease = (await other.leases.get('s'))!;
      expect(lease).toMatchObject({ session_id: 's', owner, reply_id: null });
      expect(Date.parse(lease.expires_at)).toBeGreaterThan(Date.now());
      // Held: not even its owner takes it twice.
      expect(await store.leases.acquire('s', owner, null, 60_000)).toBe(false);
      expect(await store.leases.setReply('s', owner, 'm2')).toBe(true);
      expect(await store.leases.setReply('s', 'someone-else', 'm3')).toBe(false);
      expect((await store.leases.get('s'))!.reply_id).toBe('m2');
      await expect(store.leases.acquire('nope', owner, null, 60_000)).rejects.toMatchObject({ code: 'not_found' });
      expect(await store.leases.get('nope')).toBeNull();
    });

    it('are renewed by their owner, released by their owner only, and the release is news', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('s'));
      await store.createSession(newSession('t'));
      await store.leases.acquire('s', 'a', 'm1', 60_000);
      await store.leases.acquire('t', 'a', 'm2', 60_000);
      const before = (await store.leases.get('s'))!.expires_at;
      expect((await other.leases.renew('a', 120_000)).sort()).toEqual(['s', 't']);
      expect(Date.parse((await store.leases.get('s'))!.expires_at)).toBeGreaterThan(Date.parse(before));
      expect(await other.leases.renew('b', 120_000)).toEqual([]);

      const heard = await listen(other, LEASES_CHANNEL);
      expect(await store.leases.release('s', 'b')).toBe(false);
      expect(await store.leases.release('s', 'a')).toBe(true);
      await heard.received('s');
      expect(await store.leases.release('s', 'a')).toBe(false);
      expect(await store.leases.get('s')).toBeNull();
      expect(await other.leases.acquire('s', 'b', null, 60_000)).toBe(true);
      await heard.stop();
    });

    it('that expired are listed, and taken over by one instance only', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await store.createSession(newSession('dead'));
      await store.createSession(newSession('alive'));
      await store.leases.acquire('dead', 'gone', 'm1', 0);
      await store.leases.acquire('alive', 'here', 'm2', 60_000);
      expect((await other.leases.listExpired()).map((lease) => [lease.session_id, lease.owner, lease.reply_id])).toEqual([['dead', 'gone', 'm1']]);
      // Expired, it still holds the session: nothing starts over a reply nobody settled.
      expect(await other.leases.acquire('dead', 'new', null, 60_000)).toBe(false);
      expect(await store.leases.takeOver('alive', 'here', 'thief', 60_000)).toBeNull();

      const heard = await listen(other, LEASES_CHANNEL);
      await warmUp([store, other], 5);
      const attempts = await alternating([store, other], 10, (each, index) => each.leases.takeOver('dead', 'gone', `heir-${index}`, 60_000));
      const won = attempts.filter((attempt) => attempt !== null);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ session_id: 'dead', owner: 'gone', reply_id: 'm1' });
      const heir = `heir-${attempts.findIndex((attempt) => attempt !== null)}`;
      expect((await store.leases.get('dead'))!.owner).toBe(heir);
      expect(await store.leases.listExpired()).toEqual([]);
      await heard.received('dead');
      // The old owner lost it: its heartbeat no longer renews it, and it cannot release it.
      expect(await store.leases.renew('gone', 60_000)).toEqual([]);
      expect(await store.leases.release('dead', 'gone')).toBe(false);
      expect(await store.leases.release('dead', heir)).toBe(true);
      await heard.stop();
    });

    it('go with their session', async () => {
      const { store } = current();
      await store.createSession(newSession('s'));
      await store.leases.acquire('s', 'a', null, 60_000);
      await store.deleteSession('s');
      expect(await store.leases.get('s')).toBeNull();
    });
  });

  describe('shared by several instances: notifications', () => {
    it('reach every instance listening, this one too', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      const there = await listen(other, 'goosed_test');
      const here = await listen(store, 'goosed_test');
      await store.notifications.notify('goosed_test', 'cancel s1 m1');
      await there.received('cancel s1 m1');
      await here.received('cancel s1 m1');
      await here.stop();
      await other.notifications.notify('goosed_test', 'second');
      await there.received('second');
      expect(here.payloads).toEqual(['cancel s1 m1']);
      await there.stop();
    });

    it('merge JSON members written at once from several stores, keeping every one', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      await warmUp([store, other], 10);
      await alternating([store, other], 20, (each, index) => each.mergeValue('settings', { [`key_${index}`]: index, shared: index }));
      const merged = JSON.parse((await store.getValue('settings'))!);
      for (let index = 0; index < 20; index++) expect(merged[`key_${index}`]).toBe(index);
      expect(merged.shared).toBeTypeOf('number');
      // A member written again is replaced; the others stay.
      await other.mergeValue('settings', { key_0: 'again' });
      expect(JSON.parse((await store.getValue('settings'))!)).toMatchObject({ key_0: 'again', key_1: 1 });
      await store.setValue('not-an-object', 'plain text');
      await expect(store.mergeValue('not-an-object', { a: 1 })).rejects.toThrow();
      expect(await store.getValue('not-an-object')).toBe('plain text');
    });

    it('tell of every change to the settings', async () => {
      const { store, alongside } = current();
      const other = await alongside();
      const heard = await listen(other, SETTINGS_CHANNEL);
      await store.providers.save({ name: 'openai', api_key: 'sk-1', model: 'm', base_url: null, context_limit: null, output_limit: null, updated_at: tick() });
      await heard.received('providers');
      await store.extensions.insert({ id: 'e1', name: 'files', type: 'stdio', config: { command: 'x' }, enabled: true, created_at: tick(), session_id: null });
      await heard.received('extensions');
      await store.permissions.set('files__write', 'always_deny');
      await heard.received('permissions');
      await store.setValue('current_provider', 'openai');
      await heard.received('kv');
      await heard.stop();
    });

    it('listen again after a lost connection, and say so', async () => {
      const { store, alongside, cutListeners } = current();
      const other = await alongside();
      const heard = await listen(other, 'goosed_test');
      await store.notifications.notify('goosed_test', 'before');
      await heard.received('before');
      await cutListeners();
      await waitFor(() => heard.reconnects() > 0);
      await store.notifications.notify('goosed_test', 'after');
      await heard.received('after');
      await heard.stop();
    });

    it('carry any text, NUL included', async () => {
      const { store } = current();
      const heard = await listen(store, 'goosed_test');
      const odd = 'a\u0000b \uFFFF0 日本語 🦆';
      await store.notifications.notify('goosed_test', odd);
      await heard.received(odd);
      await heard.stop();
    });
  });
}
