import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SCHEMA_FILE, renderClientSchema } from '../scripts/client-schema.js';
import {
  createGoosedClient,
  dataOf,
  followSession,
  GoosedError,
  readSessionEvents,
  SseParser,
  type FollowState,
  type GoosedClient,
  type Resync,
  type SessionEvent,
  type SseFrame,
} from '../src/client/index.js';
import type { ScriptedLlm } from './support/scripted-llm.js';
import { startTestServer, waitFor, type TestServer } from './support/goosed.js';
import { startReplyHarness, type ReplyHarness } from './support/reply-harness.js';
import { mergeDeltaRuns } from './support/delta-runs.js';
import { startTcpProxy } from './support/tcp-proxy.js';

let harness: ReplyHarness;
let llm: ScriptedLlm;
let goosed: TestServer;
let client: GoosedClient;

beforeAll(async () => {
  harness = await startReplyHarness();
  ({ llm, goosed } = harness);
  client = createGoosedClient({ baseUrl: goosed.url });
});
afterAll(() => harness?.close());

const newSession = (name = 'client test') => dataOf(client.POST('/api/sessions', { body: { name } }));

/** Follows a session until `until` says so; `events` etc. fill in as it goes. */
function follow(options: { sessionId: string; after?: number | null; baseUrl?: string; until: (event: SessionEvent) => boolean }) {
  const events: SessionEvent[] = [];
  const resyncs: Resync[] = [];
  const states: FollowState['state'][] = [];
  let markOpened!: () => void;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const follower = followSession({
    baseUrl: options.baseUrl ?? goosed.url,
    sessionId: options.sessionId,
    after: options.after,
    reconnectDelayMs: 20,
    onEvent(event) {
      events.push(event);
      if (options.until(event)) finish();
    },
    onResync: (resync) => resyncs.push(resync),
    onState(state) {
      states.push(state.state);
      if (state.state === 'open') markOpened();
    },
  });
  void finished.then(() => follower.close());
  return { events, resyncs, states, opened, finished, follower };
}

const textOf = (events: SessionEvent[]) => events.map((event) => (event.type === 'content_delta' ? event.delta : '')).join('');

describe('the generated client schema', () => {
  it('is what openapi-typescript makes of the committed openapi.json (run `npm run openapi` after changing routes)', async () => {
    const document = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(readFileSync(CLIENT_SCHEMA_FILE, 'utf8')).toBe(await renderClientSchema(document));
  });

  it('describes a nullable reference as anyOf [ref, null], never by making the shared component nullable', () => {
    const document = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    const nullableComponents = Object.entries(document.components.schemas as Record<string, { type?: unknown }>)
      .filter(([, schema]) => Array.isArray(schema.type) && schema.type.includes('null'))
      .map(([name]) => name);
    expect(nullableComponents).toEqual([]);
    // allOf [ref, {type: [..., "null"]}] can never be null: a generated client gets such fields wrong.
    const unsatisfiableNulls: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const allOf = (node as { allOf?: { type?: unknown }[] }).allOf;
      if (allOf?.some((member) => Array.isArray(member.type) && member.type.includes('null'))) unsatisfiableNulls.push(path);
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
    };
    walk(document, '#');
    expect(unsatisfiableNulls).toEqual([]);
  });

  it('is exported by the package as goosed/client (built into dist/client)', async () => {
    const resolved = createRequire(import.meta.url).resolve('goosed/client');
    expect(resolved).toBe(fileURLToPath(new URL('../dist/client/index.js', import.meta.url)));
    const exported = await import(resolved);
    expect(typeof exported.createGoosedClient).toBe('function');
    expect(typeof exported.followSession).toBe('function');
    expect(readFileSync(new URL('../dist/client/index.d.ts', import.meta.url), 'utf8')).toContain('createGoosedClient');
  });
});

describe('the typed client against a real goosed', () => {
  it('creates, lists, searches, renames and deletes sessions', async () => {
    const created = await newSession('Typed client project');
    expect(created).toMatchObject({ name: 'Typed client project', messages: [], status: 'idle' });

    const found = await dataOf(client.GET('/api/sessions', { params: { query: { q: 'typed client' } } }));
    expect(found.map((session) => session.id)).toContain(created.id);
    const none = await dataOf(client.GET('/api/sessions', { params: { query: { q: 'no such session name' } } }));
    expect(none).toEqual([]);

    const renamed = await dataOf(client.PATCH('/api/sessions/{id}', { params: { path: { id: created.id } }, body: { name: 'Renamed' } }));
    expect(renamed.name).toBe('Renamed');

    const { response } = await client.DELETE('/api/sessions/{id}', { params: { path: { id: created.id } } });
    expect(response.status).toBe(204);
    const gone = await dataOf(client.GET('/api/sessions/{id}', { params: { path: { id: created.id } } })).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(GoosedError);
    expect(gone).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('turns a refused request into a GoosedError with the server code', async () => {
    const error = await dataOf(client.PATCH('/api/config', { body: { max_turns: 0 } })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoosedError);
    expect((error as GoosedError).status).toBe(400);
    expect((error as GoosedError).code).toMatch(/^[a-z_]+$/);
  });

  it('sends the key on every request, from a value or a function', async () => {
    const key = 'client-test-key-0123456789abcdef';
    const locked = await startTestServer({ secretKey: key });
    try {
      const refused = await dataOf(createGoosedClient({ baseUrl: locked.url }).GET('/api/sessions')).catch((error: unknown) => error);
      expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(await dataOf(createGoosedClient({ baseUrl: locked.url, key }).GET('/api/sessions'))).toEqual([]);
      let current: string | null = 'wrong';
      const changing = createGoosedClient({ baseUrl: locked.url, key: () => current });
      expect(await dataOf(changing.GET('/api/config')).catch((error: GoosedError) => error.code)).toBe('invalid_key');
      current = key;
      expect((await dataOf(changing.GET('/api/config'))).execution_mode).toBe('smart_approval');
      // The event follower gives up on a wrong key instead of retrying forever.
      const follower = followSession({ baseUrl: locked.url, sessionId: 'any', key: 'wrong', onEvent: () => {}, onResync: () => {} });
      expect(await follower.done).toMatchObject({ status: 401 });
    } finally {
      await locked.close();
    }
  });

  it('reads the reply of POST …/messages/stream as typed events', async () => {
    const session = await newSession();
    llm.enqueue({ text: ['Typed ', 'events ', 'arrive.'] });
    const { data, response } = await client.POST('/api/sessions/{id}/messages/stream', {
      params: { path: { id: session.id } },
      body: { content: 'hello' },
      parseAs: 'stream',
    });
    expect(data).toBeTruthy();
    const events: SessionEvent[] = [];
    for await (const event of readSessionEvents(response)) events.push(event);
    expect(mergeDeltaRuns(events.map((event) => event.type))).toEqual(['user_message', 'message_start', 'content_delta', 'message_complete']);
    expect(textOf(events)).toBe('Typed events arrive.');
  });
});

describe('following a session', () => {
  it('delivers every event of a reply, live', async () => {
    const session = await newSession();
    const followed = follow({ sessionId: session.id, until: (event) => event.type === 'message_complete' });
    await followed.opened;
    llm.enqueue({ text: ['One ', 'two ', 'three.'], chunkDelayMs: 10 });
    await dataOf(client.POST('/api/sessions/{id}/messages', { params: { path: { id: session.id } }, body: { content: 'count' } }));
    await followed.finished;
    expect(textOf(followed.events)).toBe('One two three.');
    const complete = followed.events.find((event) => event.type === 'message_complete');
    expect(complete?.type === 'message_complete' && complete.message.content).toBe('One two three.');
    expect(followed.events.map((event) => event.type)).toEqual(expect.arrayContaining(['user_message', 'message_start', 'session_updated']));
    expect(followed.resyncs).toEqual([]);
  });

  it('reconnects after the connection drops and resumes with Last-Event-ID, losing and repeating nothing', async () => {
    const proxy = await startTcpProxy(goosed.url);
    try {
      const session = await newSession();
      const followed = follow({ baseUrl: proxy.url, sessionId: session.id, until: (event) => event.type === 'message_complete' });
      await followed.opened;
      const chunks = Array.from({ length: 30 }, (_, index) => `w${index} `);
      llm.enqueue({ text: chunks, chunkDelayMs: 15 });
      const reply = dataOf(client.POST('/api/sessions/{id}/messages', { params: { path: { id: session.id } }, body: { content: 'long' } }));
      // Cut the stream twice in the middle of the reply.
      await waitFor(() => textOf(followed.events).includes('w4 '));
      proxy.dropAll();
      await waitFor(() => textOf(followed.events).includes('w14 '));
      proxy.dropAll();
      await followed.finished;
      await reply;

      expect(textOf(followed.events)).toBe(chunks.join(''));
      const seqs = followed.events.map((event) => event.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(followed.states.filter((state) => state === 'waiting').length).toBeGreaterThanOrEqual(2);
      // The reconnects asked for what came after the last event they had.
      const resumed = proxy.requestHeads.slice(1).map((head) => /last-event-id: (\d+)/i.exec(head)?.[1]);
      expect(resumed.length).toBeGreaterThanOrEqual(2);
      for (const id of resumed) expect(seqs).toContain(Number(id));
      expect(followed.resyncs).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('tells the caller to refetch when the missed events cannot be replayed, then follows on', async () => {
    const session = await newSession();
    const followed = follow({ sessionId: session.id, after: 1_000_000_000, until: (event) => event.type === 'message_complete' });
    await followed.opened;
    await waitFor(() => followed.resyncs.length === 1);
    expect(followed.resyncs[0].seq).toEqual(expect.any(Number));
    expect(followed.resyncs[0].reason).toMatch(/not one this session has handed out/);
    llm.enqueue({ text: 'after the resync' });
    await dataOf(client.POST('/api/sessions/{id}/messages', { params: { path: { id: session.id } }, body: { content: 'go on' } }));
    await followed.finished;
    expect(textOf(followed.events)).toBe('after the resync');
  });

  it('stops with a 404 when the session is deleted', async () => {
    const session = await newSession();
    const follower = client.followSession(session.id, { onEvent: () => {}, onResync: () => {}, reconnectDelayMs: 20 });
    await waitFor(() => goosed.server.context.events.followerCount(session.id) === 1);
    await client.DELETE('/api/sessions/{id}', { params: { path: { id: session.id } } });
    expect(await follower.done).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('the SSE parser', () => {
  it('handles line endings split across chunks, multi-line data, comments and retry', () => {
    const frames: SseFrame[] = [];
    const retries: number[] = [];
    const parser = new SseParser({ frame: (frame) => frames.push(frame), retry: (ms) => retries.push(ms) });
    for (const chunk of ['retry: 2000\r', '\n\r\n: heartbeat\n\nid: 7\nevent: content_delta\nda', 'ta: {"a":\ndata: 1}\r', '\n\r', '\nid: 8\ndata: x\r\r']) {
      parser.push(chunk);
    }
    expect(retries).toEqual([2000]);
    expect(frames).toEqual([
      { id: '7', event: 'content_delta', data: '{"a":\n1}' },
      { id: '8', event: 'message', data: 'x' },
    ]);
  });

  it('gives the same frames however the stream is cut, whatever its line endings', () => {
    const frame = fc.record({
      id: fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: null }),
      event: fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: null }),
      // A frame without data lines is not dispatched; a `data:` line may be empty.
      data: fc.array(fc.string({ unit: 'grapheme' }).map((text) => text.replace(/[\r\n]/g, '')), { maxLength: 3 }),
      comment: fc.boolean(),
    });
    const property = fc.property(fc.array(frame, { maxLength: 6 }), fc.infiniteStream(fc.constantFrom('\n', '\r', '\r\n')), fc.array(fc.nat(), { maxLength: 8 }), (frames, endings, cuts) => {
      const lines = frames.flatMap(({ id, event, data, comment }) => [
        ...(comment ? [': heartbeat'] : []),
        ...(id === null ? [] : [`id: ${id}`]),
        ...(event === null ? [] : [`event:${event}`]),
        ...data.map((text) => `data: ${text}`),
        '',
      ]);
      let text = '';
      for (const line of lines) {
        const ending = endings.next().value;
        // \r then \n would be one \r\n: an empty line after a \r ends with \r\n instead.
        text += line + (line === '' && text.endsWith('\r') && ending === '\n' ? '\r\n' : ending);
      }
      const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...positions].map((start, index) => text.slice(start, [...positions, text.length][index]));
      const parsed: SseFrame[] = [];
      const parser = new SseParser({ frame: (parsedFrame) => parsed.push(parsedFrame) });
      for (const chunk of chunks) parser.push(chunk);
      expect(parsed).toEqual(frames.filter(({ data }) => data.length > 0).map(({ id, event, data }) => ({ id, event: event ?? 'message', data: data.join('\n') })));
    });
    fc.assert(property, { numRuns: 300 });
  });
});
