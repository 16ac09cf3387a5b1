// Paging cursors and search terms are input like any other: a cursor of the wrong shape is refused,
// not taken to mean "from the start", and a search term matches only itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, startTestServer, type TestServer } from './support/goosed.js';

let goosed: TestServer;
let sessionId: string;
beforeAll(async () => {
  goosed = await startTestServer();
  for (const name of ['alpha report', 'beta notes', '100% done', 'under_score', 'plain']) await createSession(goosed, { name });
  // A session with messages to page through: an in-memory one would do, but stored ones are the usual case.
  sessionId = (await createSession(goosed, { name: 'paged' })).id;
});
afterAll(async () => {
  await goosed.close();
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expectInvalidCursor(path: string, cursor: string): Promise<void> {
  const response = await goosed.request(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`);
  expect(response.status, `${path} ${Buffer.from(cursor, 'base64url').toString()}`).toBe(400);
  expect(await response.json()).toEqual({ error: expect.any(String), code: 'invalid_cursor' });
}

describe('a cursor that is valid base64 of the wrong shape', () => {
  const wrongShapes = [
    ['x'],
    ['2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00.000Z', 'id', 'extra'],
    ['2026-01-01T00:00:00.000Z', ''],
    { updated_at: '2026-01-01T00:00:00.000Z', id: 'x' },
    [1, 2],
    'just a string',
    42,
    null,
  ];

  it('is 400 invalid_cursor for the sessions list, not the whole list', async () => {
    for (const shape of wrongShapes) await expectInvalidCursor('/api/sessions?limit=2', cursorOf(shape));
    await expectInvalidCursor('/api/sessions', cursorOf(['x']));
  });

  it('is 400 invalid_cursor for the messages list, not the whole history', async () => {
    for (const shape of [...wrongShapes, ['-1'], ['1.5'], ['abc'], ['1', '2'], ['']]) await expectInvalidCursor(`/api/sessions/${sessionId}/messages?limit=2`, cursorOf(shape));
    await expectInvalidCursor(`/api/sessions/${sessionId}/messages`, cursorOf(['x']));
  });

  it('while the cursors the server hands out still page through the sessions', async () => {
    const seen: string[] = [];
    let next: string | null = '/api/sessions?limit=2';
    while (next) {
      const response = await goosed.request(next);
      expect(response.status).toBe(200);
      seen.push(...(await response.json()).map((session: { name: string }) => session.name));
      const cursor = response.headers.get('x-next-cursor');
      next = cursor ? `/api/sessions?limit=2&cursor=${cursor}` : null;
    }
    expect(seen.sort()).toEqual(['100% done', 'alpha report', 'beta notes', 'paged', 'plain', 'under_score']);
  });
});

describe('a search term', () => {
  const names = async (q: string) => ((await (await goosed.request(`/api/sessions?q=${encodeURIComponent(q)}`)).json()) as { name: string }[]).map((s) => s.name).sort();

  it('with a NUL in it matches only names holding that NUL: none here', async () => {
    expect(await names('\u0000')).toEqual([]);
    expect(await names('alpha\u0000')).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    expect(await names('%')).toEqual(['100% done']);
    expect(await names('_')).toEqual(['under_score']);
    expect(await names('a_p')).toEqual([]);
  });

  it('still finds a part of a name, in any case', async () => {
    expect(await names('REPORT')).toEqual(['alpha report']);
  });
});
