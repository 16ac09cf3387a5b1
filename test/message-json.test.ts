import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from '@hono/zod-openapi';
import { Message } from '../src/api/messages.js';
import { Session } from '../src/api/sessions.js';
import type { NewMessage } from '../src/store/store.js';
import { JsonWriter } from '../src/server/json/json-writer.js';
import { BufferPool } from '../src/server/json/buffer-pool.js';
import { responseBuffers } from '../src/server/json/json-bytes.js';
import { MessagesJson } from '../src/server/json/message-json.js';
import { startTestServer, waitFor, type TestServer } from './support/goosed.js';
import { newMessage } from './support/store-records.js';

// The history routes answer with JSON written from the stored text (src/server/json/message-json.ts)
// instead of JSON.stringify of parsed messages: the bytes must be exactly those the parsed path gives.

let goosed: TestServer;
beforeAll(async () => {
  goosed = await startTestServer();
});
afterAll(() => goosed?.close());

let count = 0;
/** A message of the store contract's kind, with the next id here. */
const message = (sessionId: string, fields: Partial<NewMessage> & Pick<NewMessage, 'role' | 'content'>): NewMessage =>
  newMessage(sessionId, `m-${++count}`, fields);

/** A session holding every kind of message, written through the server's own store. */
async function sessionWithEverything(): Promise<string> {
  const created = await goosed.request('/api/sessions', { method: 'POST', json: { name: 'json "fidelity" \\ test' } });
  const { id } = (await created.json()) as { id: string };
  const store = goosed.server.context.store;
  const odd = 'naïve — 日本語 🦆 "q" \\ \n\t\r\b\f \u0000 \u0001 \u001f \u007f \u2028 \u2029 </script> \ud800 lone';
  const user = message(id, { role: 'user', content: odd, client_id: 'client-1' });
  await store.addMessage(user);
  await store.addMessage(
    message(id, {
      role: 'assistant',
      content: 'x'.repeat(1500),
      parts: [
        { type: 'text', text: 'x'.repeat(1500) },
        {
          type: 'tool_call', id: 'call_1', tool: 'developer__shell',
          arguments: { command: 'ls', numbers: [0, -0, 0.1, 1e21, 1e-7, 2 ** 53 + 2, -1.5e300], nested: { a: null, b: true, '': 'empty key', ['__proto__']: 'own key' } },
          status: 'done', result: { content: odd, is_error: false },
        },
        { type: 'tool_call', id: 'call_2', tool: 'developer__text_editor', arguments: {}, status: 'denied', result: null },
      ],
      usage: { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
      reply_to: user.id,
      provider: 'openai_compatible',
      model: `local/${odd}`,
    }),
  );
  await store.addMessage(message(id, { role: 'user', content: '' }));
  await store.addMessage(message(id, { role: 'assistant', content: 'half', status: 'error', error: { error: 'The provider said "no".', code: 'provider_error' } }));
  await store.addMessage(message(id, { role: 'assistant', content: '', parts: [], status: 'interrupted', reply_to: 'gone' }));
  return id;
}

describe('the JSON of a history, written from the stored text', () => {
  it('is byte for byte what stringifying the parsed messages gives, whole and page by page', async () => {
    const id = await sessionWithEverything();
    const store = goosed.server.context.store;
    const written = async (sessionId: string, options: { limit?: number; cursor?: string }) => {
      const out = new JsonWriter();
      const messages = new MessagesJson(out);
      const { nextCursor } = await store.readStoredMessages(sessionId, options, messages);
      messages.end();
      return { json: out.bytes().toString('utf8'), nextCursor };
    };
    const whole = await store.listMessages(id, {});
    expect(whole.items).toHaveLength(5);
    expect(await written(id, {})).toEqual({ json: JSON.stringify(whole.items), nextCursor: null });
    let pages = 0;
    for (const limit of [1, 2, 4, 5, 6]) {
      let cursor: string | undefined;
      do {
        const parsed = await store.listMessages(id, { limit, cursor });
        expect(await written(id, { limit, cursor })).toEqual({ json: JSON.stringify(parsed.items), nextCursor: parsed.nextCursor });
        cursor = parsed.nextCursor ?? undefined;
        pages++;
      } while (cursor);
    }
    expect(pages).toBe(5 + 3 + 2 + 1 + 1);
    expect((await written('no-such-session', {})).json).toBe('[]');

    // A long history: the writer sizes the page from its first rows (here growing, then shrinking).
    for (let i = 0; i < 150; i++) await store.addMessage(message(id, { role: i % 2 ? 'assistant' : 'user', content: `${i} ${'é'.repeat(i < 75 ? i * 20 : 10)}` }));
    const long = await store.listMessages(id, {});
    expect(long.items).toHaveLength(155);
    expect(await written(id, {})).toEqual({ json: JSON.stringify(long.items), nextCursor: null });
    const firstHundred = await store.listMessages(id, { limit: 100 });
    expect(await written(id, { limit: 100 })).toEqual({ json: JSON.stringify(firstHundred.items), nextCursor: firstHundred.nextCursor });
    const rest = await store.listMessages(id, { limit: 100, cursor: firstHundred.nextCursor! });
    expect(await written(id, { limit: 100, cursor: firstHundred.nextCursor! })).toEqual({ json: JSON.stringify(rest.items), nextCursor: null });
    expect(rest.items).toHaveLength(55);
  });

  it('is what GET /api/sessions/{id} and .../messages answered before, and follows the route schemas exactly', async () => {
    const id = await sessionWithEverything();
    const store = goosed.server.context.store;
    const expected = { ...(await store.getSession(id))!, messages: (await store.listMessages(id, {})).items };

    const session = await goosed.request(`/api/sessions/${id}`);
    expect(session.status).toBe(200);
    expect(session.headers.get('content-type')).toBe('application/json');
    const sessionText = await session.text();
    expect(sessionText).toBe(JSON.stringify(expected));
    // The schema's fields, in its order, and nothing else (zod drops unknown keys and orders by shape).
    expect(JSON.stringify(Session.parse(JSON.parse(sessionText)))).toBe(sessionText);

    const messages = await goosed.request(`/api/sessions/${id}/messages`);
    expect(messages.headers.get('content-type')).toBe('application/json');
    const messagesText = await messages.text();
    expect(messagesText).toBe(JSON.stringify(expected.messages));
    expect(JSON.stringify(z.array(Message).parse(JSON.parse(messagesText)))).toBe(messagesText);

    const firstPage = await goosed.request(`/api/sessions/${id}/messages?limit=2`);
    expect(await firstPage.text()).toBe(JSON.stringify(expected.messages.slice(0, 2)));
    const cursor = firstPage.headers.get('x-next-cursor')!;
    expect(firstPage.headers.get('link')).toBe(`</api/sessions/${id}/messages?limit=2&cursor=${cursor}>; rel="next"`);
    const lastPage = await goosed.request(`/api/sessions/${id}/messages?limit=3&cursor=${cursor}`);
    expect(await lastPage.text()).toBe(JSON.stringify(expected.messages.slice(2)));
    expect(lastPage.headers.get('x-next-cursor')).toBeNull();
  });

  it('answers long histories from reused buffers, each response whole and only its own', async () => {
    const store = goosed.server.context.store;
    const sessionOf = async (messages: number, text: string) => {
      const { id } = (await (await goosed.request('/api/sessions', { method: 'POST', json: {} })).json()) as { id: string };
      for (let i = 0; i < messages; i++) await store.addMessage(message(id, { role: i % 2 ? 'assistant' : 'user', content: `${i} ${text}` }));
      return { id, expected: JSON.stringify({ ...(await store.getSession(id))!, messages: (await store.listMessages(id, {})).items }) };
    };
    const big = await sessionOf(400, 'b'.repeat(1500)); // about 1.2 MB: written into a pooled buffer
    const other = await sessionOf(150, 'ö'.repeat(1000)); // about 0.6 MB
    for (const { id, expected } of [big, other, big, other, big]) {
      expect(await (await goosed.request(`/api/sessions/${id}`)).text()).toBe(expected);
    }
    // The buffers went back to the pool once the responses were sent.
    await waitFor(() => responseBuffers.size, (size) => size > 0);
  });

  it('still answers 404 and 400 as errors', async () => {
    const missing = await goosed.request('/api/sessions/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
    expect((await goosed.request('/api/sessions/nope/messages')).status).toBe(404);
    const id = await sessionWithEverything();
    const bad = await goosed.request(`/api/sessions/${id}/messages?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('the pool of response buffers', () => {
  it('hands back the smallest kept buffer that fits, keeps only large ones, and only a few', () => {
    const pool = new BufferPool(1024, 2, 1 << 20, 60_000);
    pool.give(pool.take(100));
    expect(pool.size).toBe(0);

    const a = pool.take(4096);
    const b = pool.take(8192);
    pool.give(a);
    pool.give(b);
    expect(pool.take(2000)).toBe(a);
    expect(pool.take(5000)).toBe(b);
    expect(pool.size).toBe(0);

    pool.give(a);
    pool.give(b);
    const c = pool.take(16384);
    expect([a, b]).not.toContain(c);
    pool.give(c); // a third: the smallest kept one (a) makes room
    expect(pool.size).toBe(2);
    expect(pool.take(1024)).toBe(b);
    pool.give(Buffer.allocUnsafeSlow(2 << 20)); // larger than kept
    expect(pool.size).toBe(1);
    expect(pool.take(1)).toBe(c);
  });
});
