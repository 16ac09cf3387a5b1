// The store contract (src/store/store.ts) as tests: every store implementation runs this suite
// (test/store-contract-sqlite.test.ts for SQLite, test/store-contract-postgres.test.ts for
// PostgreSQL). It speaks only the contract, so what it proves holds for whatever is behind it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextSummary } from '../../src/api/context.js';
import { Message } from '../../src/api/messages.js';
import { JSON_MESSAGE_FIELDS, STORED_MESSAGE_FIELDS, type ExtensionRecord, type MessagePageOptions, type Store } from '../../src/store/store.js';
import { event, newApproval, newMessage, newSession, newSummary, tick } from './store-records.js';
import { severalStoresContract, sharedStoreContract, type SharedStoreUnderTest } from './shared-store-contract.js';

export interface StoreUnderTest {
  store: Store;
  /** Opens the same store again once `store` is closed (a store that persists: see storeContract). */
  reopen?: () => Promise<Store>;
  /** Opens a second store on the same database while `store` stays open (as a second instance would). */
  alongside?: () => Promise<Store>;
  /** Cuts the connections a shared store listens on (as a database restart or a network fault would). */
  cutListeners?: () => Promise<void>;
  /** Called after the test, once every store it opened is closed. */
  cleanup?: () => void | Promise<void>;
}

export interface StoreContractOptions {
  /** What must hold across a reopen (`reopen` is then required). */
  persists: boolean;
  /** What must hold for several stores open on one database at once (`alongside` is then required). */
  alongside?: boolean;
  /** The store is a SharedStore (src/store/shared-store.ts): what several instances need of it. */
  shared?: boolean;
}

/** Pages through a list until its cursor runs out. */
async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    pages.push(next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

/** Defines the suite for one store; its options add what it must prove besides (see StoreContractOptions). */
export function storeContract(name: string, open: () => Promise<StoreUnderTest>, { persists, alongside = false, shared = false }: StoreContractOptions): void {
  describe(`the store contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    const opened: Store[] = [];
    /** The store closed and opened again (only where it persists). */
    const reopened = async () => {
      await store.close();
      store = await subject.reopen!();
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      opened.push(store);
    });
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      await subject.cleanup?.();
    });
    /** A second store on the same database, closed after the test. */
    const openAlongside = async () => {
      const other = await subject.alongside!();
      opened.push(other);
      return other;
    };
    const current = () => ({ store, alongside: openAlongside, cutListeners: () => subject.cutListeners!() });
    if (alongside) severalStoresContract(current);
    if (shared) sharedStoreContract(current as () => SharedStoreUnderTest);

    describe('sessions', () => {
      it('creates, reads, changes and deletes a session', async () => {
        const created = await store.createSession(newSession('s1', 'First'));
        expect(created).toMatchObject({
          id: 's1', name: 'First', working_directory: '/tmp/work', execution_mode: null, status: 'idle', message_count: 0,
          usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
        });
        expect(created.updated_at).toBe(created.created_at);
        expect(await store.getSession('s1')).toEqual(created);
        expect(await store.getSession('nope')).toBeNull();

        const renamed = await store.updateSession('s1', { name: 'Renamed', execution_mode: 'chat' });
        expect(renamed).toMatchObject({ name: 'Renamed', execution_mode: 'chat', working_directory: '/tmp/work' });
        expect(renamed!.updated_at > created.updated_at).toBe(true);
        // A status change is not an edit: the session keeps its place in the list.
        const running = await store.updateSession('s1', { status: 'running' });
        expect(running).toMatchObject({ status: 'running', updated_at: renamed!.updated_at });
        expect(await store.updateSession('s1', {})).toEqual(running);
        expect(await store.updateSession('nope', { name: 'x' })).toBeNull();

        expect(await store.deleteSession('s1')).toBe(true);
        expect(await store.getSession('s1')).toBeNull();
        expect(await store.deleteSession('s1')).toBe(false);
      });

      it('keeps the provider and model a session chose, null until then', async () => {
        const created = await store.createSession(newSession('chooser'));
        expect(created).toMatchObject({ provider: null, model: null });
        const chosen = await store.updateSession('chooser', { provider: 'openai', model: 'gpt-4o-mini' });
        expect(chosen).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', name: 'session chooser' });
        expect(await store.getSession('chooser')).toEqual(chosen);
        expect((await store.listSessions({ limit: 10 })).items.find((s) => s.id === 'chooser')).toEqual(chosen);
        // Changing one leaves the other; null is a value (back to the server's current provider).
        expect(await store.updateSession('chooser', { model: null })).toMatchObject({ provider: 'openai', model: null });
        expect(await store.updateSession('chooser', { name: 'Renamed' })).toMatchObject({ provider: 'openai', model: null });
        expect(await store.updateSession('chooser', { provider: null })).toMatchObject({ provider: null, model: null });
      });

      it('reports where a session lives, the same way on every read', async () => {
        const kept = await store.createSession(newSession('kept'));
        const temporary = await store.createSession(newSession('temporary'), { persist: false });
        expect(typeof kept.persisted).toBe('boolean');
        expect(typeof temporary.persisted).toBe('boolean');
        expect((await store.getSession('kept'))!.persisted).toBe(kept.persisted);
        expect((await store.getSession('temporary'))!.persisted).toBe(temporary.persisted);
        const listed = (await store.listSessions({ limit: 10 })).items;
        expect(listed.find((s) => s.id === 'temporary')!.persisted).toBe(temporary.persisted);
      });

      it('lists the most recently updated first, page by page, without a gap or a repeat', async () => {
        for (let i = 0; i < 7; i++) await store.createSession(newSession(`p${i}`));
        // A message touches its session: p2 moves to the front.
        await store.addMessage(newMessage('p2', 'p2-m1'));
        const pages = await allPages((cursor) => store.listSessions({ limit: 3, cursor }));
        expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
        expect(pages.flat().map((s) => s.id)).toEqual(['p2', 'p6', 'p5', 'p4', 'p3', 'p1', 'p0']);
        expect((await store.listSessions({ limit: 7 })).nextCursor).toBeNull();
        expect((await store.listSessions({ limit: 10 })).items).toHaveLength(7);
      });

      it('searches names and working directories, case-insensitively and literally', async () => {
        await store.createSession(newSession('a', 'Alpha project'));
        await store.createSession(newSession('b', 'beta', '/home/me/ALPHA-work'));
        await store.createSession(newSession('c', 'gamma 100%_done'));
        await store.createSession(newSession('d', 'delta'));
        const names = async (q: string) => (await store.listSessions({ limit: 10, q })).items.map((s) => s.id).sort();
        expect(await names('alpha')).toEqual(['a', 'b']);
        expect(await names('%_')).toEqual(['c']);
        expect(await names('_')).toEqual(['c']);
        expect(await names('zzz')).toEqual([]);
        const pages = await allPages((cursor) => store.listSessions({ limit: 1, cursor, q: 'ALPHA' }));
        expect(pages.flat().map((s) => s.id).sort()).toEqual(['a', 'b']);
      });

      it('lists the sessions whose reply was running', async () => {
        await store.createSession(newSession('idle'));
        await store.createSession(newSession('busy'));
        await store.createSession(newSession('asking'));
        await store.updateSession('busy', { status: 'running' });
        await store.updateSession('asking', { status: 'waiting_approval' });
        expect((await store.listBusySessions()).map((s) => [s.id, s.status]).sort()).toEqual([
          ['asking', 'waiting_approval'],
          ['busy', 'running'],
        ]);
      });

      it("keeps a session's context, which is not an edit of it", async () => {
        const created = await store.createSession(newSession('c'));
        expect(created.context).toEqual({ tokens: 0, limit: null });
        const changed = await store.updateSession('c', { context: { tokens: 1234, limit: 8000 } });
        expect(changed).toMatchObject({ context: { tokens: 1234, limit: 8000 }, updated_at: created.updated_at });
        expect((await store.getSession('c'))!.context).toEqual({ tokens: 1234, limit: 8000 });
        expect((await store.updateSession('c', { context: { tokens: 50, limit: null }, status: 'running' }))!.context).toEqual({ tokens: 50, limit: null });
      });

      it('deleting a session deletes its messages, summaries, events and approvals', async () => {
        await store.createSession(newSession('gone'));
        await store.addMessage(newMessage('gone', 'gone-m1', { client_id: 'c1' }));
        await store.appendEvent(event('gone', 1));
        await store.createApproval(newApproval('gone', 'gone-a1', 'gone-m1'));
        await store.addSummary(newSummary('gone', 'gone-s1', 'gone-m1'));
        await store.deleteSession('gone');
        expect(await store.listSummaries('gone')).toEqual([]);
        expect(await store.getMessage('gone', 'gone-m1')).toBeNull();
        expect(await store.findMessageByClientId('gone', 'c1')).toBeNull();
        expect((await store.listMessages('gone', {})).items).toEqual([]);
        expect(await store.listEvents('gone', 0, 10)).toEqual([]);
        expect(await store.getApproval('gone', 'gone-a1')).toBeNull();
      });
    });

    describe('summaries', () => {
      it("keeps a session's summaries whole, oldest first, apart from other sessions", async () => {
        await store.createSession(newSession('s'));
        await store.createSession(newSession('other'));
        expect(await store.listSummaries('s')).toEqual([]);
        // Same time on purpose: the order is the order they were added in.
        const first = newSummary('s', 'sum-b', 'm4');
        const second = { ...newSummary('s', 'sum-a', 'm9', 'Ünïcode — 요약, "quotes", a\nnew line'), created_at: first.created_at };
        await store.addSummary(first);
        await store.addSummary(newSummary('other', 'sum-c', 'x1'));
        await store.addSummary(second);
        expect(await store.listSummaries('s')).toEqual([first, second]);
        expect((await store.listSummaries('other')).map((summary) => summary.id)).toEqual(['sum-c']);
        await expect(store.addSummary(first)).rejects.toThrow();
        if (persists) expect(await (await reopened()).listSummaries('s')).toEqual([first, second]);
      });
    });

    describe('messages', () => {
      beforeEach(async () => {
        await store.createSession(newSession('s'));
      });

      it('adds messages in order, counting them and touching the session', async () => {
        const first = newMessage('s', 'm1');
        const second = newMessage('s', 'm2', { role: 'assistant', reply_to: 'm1', usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } });
        await store.addMessage(first);
        await store.addMessage(second);
        const session = (await store.getSession('s'))!;
        expect(session.message_count).toBe(2);
        expect(session.updated_at).toBe(second.created_at);
        const { client_id: _1, ...firstMessage } = first;
        const { client_id: _2, ...secondMessage } = second;
        expect((await store.listMessages('s', {})).items).toEqual([firstMessage, secondMessage]);
        expect(await store.getMessage('s', 'm2')).toEqual(secondMessage);
        expect(await store.getMessage('s', 'nope')).toBeNull();
        expect(await store.getMessage('other', 'm2')).toBeNull();
      });

      it('saves a message as it streams: content, parts, status, usage and error', async () => {
        await store.addMessage(newMessage('s', 'm1'));
        const reply = newMessage('s', 'm2', { role: 'assistant', content: '', parts: [], status: 'running', reply_to: 'm1' });
        await store.addMessage(reply);
        const { client_id: _, ...message } = reply;
        const saved: Message = {
          ...message,
          content: 'partial',
          parts: [
            { type: 'text', text: 'partial' },
            { type: 'tool_call', id: 'tc_1', provider_call_id: 'call_1', tool: 'developer__shell', arguments: { command: 'ls' }, status: 'done', result: { content: 'a\nb', is_error: false } },
          ],
          status: 'error',
          usage: { input_tokens: 7, output_tokens: 1, total_tokens: 8 },
          error: { error: 'The provider failed.', code: 'provider_error' },
        };
        await store.saveMessage(saved);
        expect(await store.getMessage('s', 'm2')).toEqual(saved);
        expect((await store.getSession('s'))!.message_count).toBe(2);
      });

      it('keeps the provider and model that wrote a reply, through saves', async () => {
        const { client_id: _1, ...question } = newMessage('s', 'u1');
        await store.addMessage({ ...question, client_id: null });
        const { client_id: _2, ...reply } = newMessage('s', 'a1', { role: 'assistant', content: '', parts: [], status: 'running', reply_to: 'u1', provider: 'anthropic', model: 'claude-sonnet-4-5' });
        await store.addMessage({ ...reply, client_id: null });
        expect(await store.getMessage('s', 'a1')).toEqual(reply);
        const finished: Message = { ...reply, content: 'done', parts: [{ type: 'text', text: 'done' }], status: 'complete' };
        await store.saveMessage(finished);
        expect((await store.listMessages('s', {})).items).toEqual([question, finished]);
        expect((await storedRows(store, 's', {})).rows.map(fromStoredRow)).toEqual([question, finished]);
      });

      it('reads text appended to a running reply as its continuation, everywhere, until the next save', async () => {
        await store.addMessage(newMessage('s', 'u1', { client_id: 'c1' }));
        const { client_id: _, ...reply } = newMessage('s', 'a1', { role: 'assistant', content: '', parts: [], status: 'running', reply_to: 'u1' });
        await store.addMessage({ ...reply, client_id: null });
        const odd = ' naïve 🦆 "q" \\ \n </script>';
        // With no text part yet, the first append starts one.
        await store.appendMessageText('s', 'a1', 'Hel');
        await store.appendMessageText('s', 'a1', 'lo' + odd);
        const streamed: Message = { ...reply, content: `Hello${odd}`, parts: [{ type: 'text', text: `Hello${odd}` }] };
        const everyRead = async () => [
          await store.getMessage('s', 'a1'),
          await store.findReply('s', 'u1'),
          (await store.listMessages('s', {})).items[1],
          (await store.listMessages('s', { limit: 1, cursor: (await store.listMessages('s', { limit: 1 })).nextCursor! })).items[0],
          (await storedRows(store, 's', {})).rows.map(fromStoredRow)[1],
        ];
        for (const read of await everyRead()) expect(read).toEqual(streamed);

        // Saved whole (a tool call), then text after the call: a text part of its own.
        const withCall: Message = {
          ...streamed,
          parts: [...streamed.parts, { type: 'tool_call', id: 'tc_1', provider_call_id: 'c', tool: 't', arguments: {}, status: 'done', result: { content: 'ok', is_error: false } }],
        };
        await store.saveMessage(withCall);
        for (const read of await everyRead()) expect(read).toEqual(withCall);
        await store.appendMessageText('s', 'a1', 'After.');
        const after: Message = { ...withCall, content: `${withCall.content}After.`, parts: [...withCall.parts, { type: 'text', text: 'After.' }] };
        for (const read of await everyRead()) expect(read).toEqual(after);
        if (persists) {
          await reopened();
          for (const read of await everyRead()) expect(read).toEqual(after);
        }

        // The whole save at the end holds the text: the appends are gone, not read twice.
        const finished: Message = { ...after, status: 'complete' };
        await store.saveMessage(finished);
        for (const read of await everyRead()) expect(read).toEqual(finished);
        await store.saveMessage({ ...finished, status: 'running' });
        expect(await store.getMessage('s', 'a1')).toEqual({ ...finished, status: 'running' });

        // Text for a message that is not there (or not in that session) is not written anywhere.
        await store.appendMessageText('s', 'nope', 'x');
        await store.appendMessageText('other', 'a1', 'x');
        expect(await store.getMessage('s', 'a1')).toEqual({ ...finished, status: 'running' });
        // Deleted with its session.
        await store.appendMessageText('s', 'a1', 'more');
        expect(await store.deleteSession('s')).toBe(true);
        expect(await store.getMessage('s', 'a1')).toBeNull();
      });

      it('finds a message by its client id, and the reply to a user message', async () => {
        await store.addMessage(newMessage('s', 'u1', { client_id: 'client-1' }));
        await store.addMessage(newMessage('s', 'a1', { role: 'assistant', reply_to: 'u1' }));
        await store.addMessage(newMessage('s', 'u2', { client_id: 'client-2' }));
        expect((await store.findMessageByClientId('s', 'client-1'))!.id).toBe('u1');
        expect(await store.findMessageByClientId('s', 'client-3')).toBeNull();
        expect((await store.findReply('s', 'u1'))!.id).toBe('a1');
        expect(await store.findReply('s', 'u2')).toBeNull();
        // Client ids are unique within a session.
        await expect(store.addMessage(newMessage('s', 'u3', { client_id: 'client-1' }))).rejects.toThrow();
        await store.createSession(newSession('t'));
        await store.addMessage(newMessage('t', 't-u1', { client_id: 'client-1' }));
        expect((await store.findMessageByClientId('t', 'client-1'))!.id).toBe('t-u1');
      });

      it('pages the history oldest first, and gives the same pages as stored rows', async () => {
        for (let i = 0; i < 7; i++) {
          await store.addMessage(
            newMessage('s', `m${i}`, i % 2 ? { role: 'assistant', usage: { input_tokens: i, output_tokens: 1, total_tokens: i + 1 }, reply_to: `m${i - 1}` } : {}),
          );
        }
        const whole = (await store.listMessages('s', {})).items;
        expect(whole.map((m) => m.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
        for (const limit of [1, 3, 7, 8]) {
          const pages = await allPages((cursor) => store.listMessages('s', { limit, cursor }));
          expect(pages.flat()).toEqual(whole);
          expect(pages.length).toBe(Math.max(1, Math.ceil(7 / limit)));
          let cursor: string | undefined;
          for (const page of pages) {
            const stored = await storedRows(store, 's', { limit, cursor });
            const parsed = await store.listMessages('s', { limit, cursor });
            expect(stored.nextCursor).toBe(parsed.nextCursor);
            expect(stored.rows.map(fromStoredRow)).toEqual(page);
            // A store that says how many rows come says it right.
            if (stored.expected !== null) expect(stored.expected).toBe(page.length);
            cursor = parsed.nextCursor ?? undefined;
          }
        }
        expect((await storedRows(store, 'nope', {})).rows).toEqual([]);
      });

      it('keeps JSON fields as the text JSON.stringify wrote, in the wire schema order', async () => {
        const odd = 'naïve — 日本語 🦆 "q" \\ \n\t \u0000 \u2028 </script>';
        const message = newMessage('s', 'm1', {
          role: 'assistant', content: odd, parts: [{ type: 'tool_call', id: 'tc', tool: 't', arguments: { x: [0.1, 1e21, odd] }, status: 'denied', result: null }],
          usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 }, error: { error: odd, code: 'c' },
        });
        await store.addMessage(message);
        const [row] = (await storedRows(store, 's', {})).rows;
        expect(STORED_MESSAGE_FIELDS).toEqual(Object.keys(Message.shape));
        STORED_MESSAGE_FIELDS.forEach((field, index) => {
          const value = (message as unknown as Record<string, unknown>)[field];
          expect(row[index], field).toEqual(JSON_MESSAGE_FIELDS.has(field) ? JSON.stringify(value) : value);
        });
      });

      it('adds the usage of replies to the session', async () => {
        await store.addUsage('s', { input_tokens: 10, output_tokens: 4, total_tokens: 14 });
        await store.addUsage('s', { input_tokens: 1, output_tokens: 1, total_tokens: 2 });
        expect((await store.getSession('s'))!.usage).toEqual({ input_tokens: 11, output_tokens: 5, total_tokens: 16 });
      });
    });

    describe('events', () => {
      beforeEach(async () => {
        await store.createSession(newSession('s'));
        await store.createSession(newSession('t'));
      });

      it('appends durable events and lists them after a seq, oldest first, at most `limit`', async () => {
        const events = [1, 2, 3, 5, 8].map((seq) => event('s', seq));
        // With the JSON the caller made, or without (the store makes it).
        for (const each of events) await store.appendEvent(each, each.seq === 2 ? JSON.stringify(each) : undefined);
        await store.appendEvent(event('t', 1));
        expect(await store.listEvents('s', 0, 100)).toEqual(events);
        expect(await store.listEvents('s', 2, 2)).toEqual(events.slice(2, 4));
        expect(await store.listEvents('s', 8, 10)).toEqual([]);
        expect(await store.listEvents('t', 0, 10)).toHaveLength(1);
        expect(await store.listEvents('nope', 0, 10)).toEqual([]);
      });

      it('reserves seq numbers in blocks, each above the last', async () => {
        const first = await store.reserveSeq('s', 1000);
        expect(first).toEqual({ floor: 0, ceiling: 1000 });
        expect(await store.reserveSeq('s', 1000)).toEqual({ floor: 1000, ceiling: 2000 });
        expect(await store.reserveSeq('s', 10)).toEqual({ floor: 2000, ceiling: 2010 });
        expect(await store.reserveSeq('t', 5)).toEqual({ floor: 0, ceiling: 5 });
      });
    });

    describe('approvals', () => {
      beforeEach(async () => {
        await store.createSession(newSession('s'));
      });

      it('creates, reads and lists approvals, by status', async () => {
        const a = newApproval('s', 'a', 'm1');
        const b = newApproval('s', 'b', 'm1');
        await store.createApproval(a);
        await store.createApproval(b);
        expect(await store.getApproval('s', 'a')).toEqual(a);
        expect(await store.getApproval('s', 'nope')).toBeNull();
        expect(await store.getApproval('other', 'a')).toBeNull();
        expect(await store.listApprovals('s')).toEqual([a, b]);
        expect(await store.listApprovals('s', 'pending')).toEqual([a, b]);
        expect(await store.listApprovals('s', 'resolved')).toEqual([]);
      });

      it('resolves a pending approval once', async () => {
        await store.createApproval(newApproval('s', 'a', 'm1'));
        expect(await store.resolveApproval('s', 'a', 'allow_once', 'go ahead')).toBe(true);
        const resolved = (await store.getApproval('s', 'a'))!;
        expect(resolved).toMatchObject({ status: 'resolved', decision: 'allow_once', message: 'go ahead' });
        expect(resolved.resolved_at).toEqual(expect.any(String));
        expect(await store.resolveApproval('s', 'a', 'deny', null)).toBe(false);
        expect(await store.getApproval('s', 'a')).toEqual(resolved);
        expect(await store.resolveApproval('s', 'nope', 'deny', null)).toBe(false);
        expect((await store.listApprovals('s', 'resolved')).map((x) => x.id)).toEqual(['a']);
      });

      it('cancels the pending approvals of one message, and only those', async () => {
        await store.createApproval(newApproval('s', 'a', 'm1'));
        await store.createApproval(newApproval('s', 'b', 'm1'));
        await store.createApproval(newApproval('s', 'c', 'm2'));
        await store.resolveApproval('s', 'b', 'deny', null);
        expect(await store.cancelApprovals('s', 'm1')).toBe(1);
        expect(await store.cancelApprovals('s', 'm1')).toBe(0);
        expect((await store.getApproval('s', 'a'))!.status).toBe('cancelled');
        expect((await store.getApproval('s', 'b'))!.status).toBe('resolved');
        expect((await store.listApprovals('s', 'pending')).map((x) => x.id)).toEqual(['c']);
        expect(await store.resolveApproval('s', 'a', 'allow_once', null)).toBe(false);
      });
    });

    describe('any text', () => {
      /** NUL (which some databases cannot keep in text), U+FFFF, and what sorts or cases oddly. */
      const odd = 'a\u0000b \uFFFF0\uFFFF1 \u0000\uFFFF Ünïcode 日本語 🦆 %_ \\ "q"';

      it('keeps it as given wherever a client or a model can put it, and finds it again', async () => {
        const session = await store.createSession(newSession(`id ${odd}`, `name ${odd}`, `/tmp/${odd}`));
        expect(session).toMatchObject({ id: `id ${odd}`, name: `name ${odd}`, working_directory: `/tmp/${odd}` });
        expect((await store.getSession(`id ${odd}`))!.name).toBe(`name ${odd}`);
        expect((await store.listSessions({ limit: 10, q: 'b \uFFFF0' })).items.map((s) => s.id)).toEqual([`id ${odd}`]);
        expect((await store.listSessions({ limit: 10, q: '\u0000' })).items).toHaveLength(1);
        expect((await store.listSessions({ limit: 10, q: 'B \uFFFF1' })).items).toHaveLength(0);
        const message = newMessage(`id ${odd}`, `m ${odd}`, { content: odd, client_id: `client ${odd}` });
        await store.addMessage(message);
        const { client_id: _, ...stored } = message;
        expect(await store.findMessageByClientId(`id ${odd}`, `client ${odd}`)).toEqual(stored);
        expect((await storedRows(store, `id ${odd}`, {})).rows.map(fromStoredRow)).toEqual([stored]);
        await store.createApproval(newApproval(`id ${odd}`, `a ${odd}`, `m ${odd}`));
        expect(await store.resolveApproval(`id ${odd}`, `a ${odd}`, 'deny', odd)).toBe(true);
        expect((await store.getApproval(`id ${odd}`, `a ${odd}`))!.message).toBe(odd);
        await store.setValue(odd, odd);
        expect(await store.getValue(odd)).toBe(odd);
        await store.permissions.set(odd, 'always_allow');
        expect(await store.permissions.get(odd)).toBe('always_allow');
        await store.providers.save({ name: 'openai', api_key: odd, model: odd, base_url: null, context_limit: null, output_limit: null, updated_at: tick() });
        expect((await store.providers.get('openai'))!.model).toBe(odd);
      });

      it('finds nothing by an id nobody gave, without failing', async () => {
        for (const id of ['\u0000', '\uFFFF', 'x\u0000y']) {
          expect(await store.getSession(id)).toBeNull();
          expect(await store.getMessage(id, id)).toBeNull();
          expect(await store.findMessageByClientId(id, id)).toBeNull();
          expect(await store.getApproval(id, id)).toBeNull();
          expect(await store.extensions.get(id)).toBeNull();
          expect(await store.updateSession(id, { name: id })).toBeNull();
          expect(await store.deleteSession(id)).toBe(false);
        }
      });
    });

    describe('settings', () => {
      it('keeps providers, one row per name', async () => {
        const anthropic = { name: 'anthropic' as const, api_key: 'sk-ant-1', model: 'claude-sonnet-4-5', base_url: null, context_limit: null, output_limit: null, updated_at: tick() };
        const ollama = { name: 'ollama' as const, api_key: null, model: 'qwen2.5', base_url: 'http://gpu:11434/api', context_limit: 32768, output_limit: 4096, updated_at: tick() };
        await store.providers.save(ollama);
        await store.providers.save(anthropic);
        expect(await store.providers.get('anthropic')).toEqual(anthropic);
        expect(await store.providers.get('openai')).toBeNull();
        expect(await store.providers.list()).toEqual([anthropic, ollama]);
        const changed = { ...anthropic, api_key: 'sk-ant-2', model: 'claude-opus-4', context_limit: 150_000, updated_at: tick() };
        await store.providers.save(changed);
        expect(await store.providers.list()).toEqual([changed, ollama]);
        expect(await store.providers.delete('anthropic')).toBe(true);
        expect(await store.providers.delete('anthropic')).toBe(false);
        expect(await store.providers.list()).toEqual([ollama]);
      });

      it('keeps extensions, found by id or name, oldest first', async () => {
        const first: ExtensionRecord = { id: 'e1', name: 'developer', type: 'builtin', config: { allow_shell: true }, enabled: true, created_at: tick(), session_id: null };
        const second: ExtensionRecord = { id: 'e2', name: 'files', type: 'stdio', config: { command: 'npx', args: ['-y', 'x'], env: { K: 'v' } }, enabled: false, created_at: tick(), session_id: null };
        await store.extensions.insert(second);
        await store.extensions.insert(first);
        expect(await store.extensions.list()).toEqual([first, second]);
        expect(await store.extensions.get('e2')).toEqual(second);
        expect(await store.extensions.get('files')).toEqual(second);
        expect(await store.extensions.get('nope')).toBeNull();
        await expect(store.extensions.insert({ ...second, id: 'e3' })).rejects.toThrow();
        const updated = { ...second, config: { command: 'node' }, enabled: true };
        await store.extensions.update(updated);
        expect(await store.extensions.get('e2')).toEqual(updated);
        expect(await store.extensions.delete('e2')).toBe(true);
        expect(await store.extensions.delete('e2')).toBe(false);
        expect(await store.extensions.list()).toEqual([first]);
      });

      it("keeps a session's own extensions apart: listed by session, names unique within a scope, deleted with the session", async () => {
        await store.createSession(newSession('s1'));
        // A session kept only in memory (auto_save off) has its own extensions too.
        await store.createSession(newSession('s2'), { persist: false });
        const serverWide: ExtensionRecord = { id: 'w1', name: 'files', type: 'stdio', config: { command: 'npx' }, enabled: true, created_at: tick(), session_id: null };
        const inS1: ExtensionRecord = { id: 'x1', name: 'files', type: 'stdio', config: { command: 'node', args: ['a.js'] }, enabled: true, created_at: tick(), session_id: 's1' };
        const laterInS1: ExtensionRecord = { id: 'x2', name: 'docs', type: 'streamable_http', config: { url: 'http://127.0.0.1:9/mcp' }, enabled: true, created_at: tick(), session_id: 's1' };
        const inS2: ExtensionRecord = { ...inS1, id: 'x3', created_at: tick(), session_id: 's2' };
        for (const record of [serverWide, laterInS1, inS1, inS2]) await store.extensions.insert(record);
        expect(await store.extensions.list()).toEqual([serverWide]);
        expect(await store.extensions.list('s1')).toEqual([inS1, laterInS1]);
        expect(await store.extensions.list('s2')).toEqual([inS2]);
        expect(await store.extensions.list('no-such-session')).toEqual([]);
        // By id whatever its scope; by name only server-wide.
        expect(await store.extensions.get('x2')).toEqual(laterInS1);
        expect(await store.extensions.get('x3')).toEqual(inS2);
        expect(await store.extensions.get('files')).toEqual(serverWide);
        expect(await store.extensions.get('docs')).toBeNull();
        await expect(store.extensions.insert({ ...laterInS1, id: 'x4' })).rejects.toThrow();
        await expect(store.extensions.insert({ ...inS1, id: 'x5', session_id: 'no-such-session' })).rejects.toThrow();
        const disabled = { ...inS2, enabled: false };
        await store.extensions.update(disabled);
        expect(await store.extensions.list('s2')).toEqual([disabled]);

        expect(await store.deleteSession('s1')).toBe(true);
        expect(await store.extensions.list('s1')).toEqual([]);
        expect(await store.extensions.get('x1')).toBeNull();
        expect(await store.extensions.delete('x3')).toBe(true);
        expect(await store.extensions.list('s2')).toEqual([]);
        expect(await store.extensions.list()).toEqual([serverWide]);
        // Another session may use the name again.
        await store.createSession(newSession('s3'));
        await store.extensions.insert({ ...inS1, id: 'x6', session_id: 's3' });
        expect((await store.extensions.list('s3')).map((record) => record.id)).toEqual(['x6']);
      });

      it('remembers one permission per tool', async () => {
        expect(await store.permissions.get('developer__shell')).toBeNull();
        await store.permissions.set('developer__shell', 'always_allow');
        await store.permissions.set('files__write', 'always_deny');
        await store.permissions.set('developer__shell', 'always_deny');
        expect(await store.permissions.get('developer__shell')).toBe('always_deny');
        const listed = await store.permissions.list();
        expect(listed.map(({ tool, decision }) => [tool, decision])).toEqual([
          ['developer__shell', 'always_deny'],
          ['files__write', 'always_deny'],
        ]);
        for (const permission of listed) expect(permission.updated_at).toEqual(expect.any(String));
        expect(await store.permissions.clear('developer__shell')).toBe(true);
        expect(await store.permissions.clear('developer__shell')).toBe(false);
        expect(await store.permissions.get('developer__shell')).toBeNull();
      });

      it('keeps values by key; null forgets one', async () => {
        expect(await store.getValue('current_provider')).toBeNull();
        await store.setValue('current_provider', 'anthropic');
        await store.setValue('current_provider', 'ollama');
        expect(await store.getValue('current_provider')).toBe('ollama');
        await store.setValue('current_provider', null);
        expect(await store.getValue('current_provider')).toBeNull();
        await store.setValue('never-set', null);
      });
    });

    if (!persists) return;
    describe('across a reopen', () => {
      it('keeps everything it was given', async () => {
        const session = await store.createSession(newSession('s'));
        await store.addMessage(newMessage('s', 'm1', { client_id: 'c' }));
        await store.appendEvent(event('s', 1));
        await store.createApproval(newApproval('s', 'a', 'm1'));
        await store.permissions.set('t', 'always_allow');
        await store.setValue('k', 'v');
        const before = { session: await store.getSession('s'), messages: await store.listMessages('s', {}) };
        await reopened();
        expect(await store.getSession('s')).toEqual(before.session);
        expect(session.persisted).toBe(true);
        expect(await store.listMessages('s', {})).toEqual(before.messages);
        expect(await store.listEvents('s', 0, 10)).toHaveLength(1);
        expect((await store.getApproval('s', 'a'))!.status).toBe('pending');
        expect(await store.permissions.get('t')).toBe('always_allow');
        expect(await store.getValue('k')).toBe('v');
      });

      it('never hands out a reserved seq number again', async () => {
        await store.createSession(newSession('s'));
        const { ceiling } = await store.reserveSeq('s', 1000);
        await reopened();
        const next = await store.reserveSeq('s', 1000);
        expect(next.floor).toBeGreaterThanOrEqual(ceiling);
        expect(next.ceiling).toBe(next.floor + 1000);
      });
    });
  });
}

/** The rows readStoredMessages hands out, with the count it announced (null: none). */
async function storedRows(store: Store, sessionId: string, options: MessagePageOptions) {
  const rows: (readonly unknown[])[] = [];
  let expected: number | null = null;
  const { nextCursor } = await store.readStoredMessages(sessionId, options, { expect: (count) => (expected = count), row: (row) => rows.push(row) });
  return { rows, nextCursor, expected: expected as number | null };
}

/** A stored row as the message it holds (what a client reading the JSON gets). */
function fromStoredRow(row: readonly unknown[]): Message {
  const message: Record<string, unknown> = {};
  STORED_MESSAGE_FIELDS.forEach((field, index) => {
    const value = row[index];
    message[field] = JSON_MESSAGE_FIELDS.has(field) ? (value ? JSON.parse(value as string) : null) : value;
  });
  return message as Message;
}
