import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { MemoRouter } from '../src/server/memo-router.js';

// The app routes through MemoRouter (src/server/app.ts); every route test exercises it. These pin
// down what the memo itself must keep: the inner router's answers, bounded memory.

function routes(router: MemoRouter<string>): MemoRouter<string> {
  router.add('ALL', '*', 'log');
  router.add('GET', '/api/sessions', 'list');
  router.add('POST', '/api/sessions/import', 'import');
  router.add('GET', '/api/sessions/:id', 'get');
  router.add('POST', '/api/sessions/:id/messages', 'send');
  return router;
}

const handlers = (result: ReturnType<MemoRouter<string>['match']>) => result[0].map(([handler]) => handler);

describe('MemoRouter', () => {
  it('answers as the trie router does, for static and parameter paths alike', () => {
    const memo = routes(new MemoRouter());
    const trie = new TrieRouter<string>();
    for (const [method, path, handler] of [['ALL', '*', 'log'], ['GET', '/api/sessions', 'list'], ['POST', '/api/sessions/import', 'import'], ['GET', '/api/sessions/:id', 'get'], ['POST', '/api/sessions/:id/messages', 'send']]) {
      trie.add(method, path, handler);
    }
    for (const [method, path] of [['GET', '/api/sessions'], ['POST', '/api/sessions/import'], ['GET', '/api/sessions/a1'], ['POST', '/api/sessions/b2/messages'], ['GET', '/nothing'], ['DELETE', '/api/sessions']]) {
      expect(memo.match(method, path), `${method} ${path}`).toEqual(trie.match(method, path));
      // The second answer comes from the memo and is the same.
      expect(memo.match(method, path), `${method} ${path} again`).toEqual(trie.match(method, path));
    }
    expect(handlers(memo.match('POST', '/api/sessions/b2/messages'))).toEqual(['log', 'send']);
  });

  it('keeps each path its own parameters', () => {
    const memo = routes(new MemoRouter());
    const first = memo.match('GET', '/api/sessions/first');
    const second = memo.match('GET', '/api/sessions/second');
    expect(first[0][1][1]).toEqual({ id: 'first' });
    expect(second[0][1][1]).toEqual({ id: 'second' });
    expect(memo.match('GET', '/api/sessions/first')).toBe(first);
  });

  it('holds at most `capacity` answers, dropping the oldest', () => {
    const memo = routes(new MemoRouter({ capacity: 2 }));
    const a = memo.match('GET', '/api/sessions/a');
    memo.match('GET', '/api/sessions/b');
    expect(memo.match('GET', '/api/sessions/b')).toBe(memo.match('GET', '/api/sessions/b'));
    memo.match('GET', '/api/sessions/c');
    const againA = memo.match('GET', '/api/sessions/a');
    expect(againA).not.toBe(a);
    expect(againA).toEqual(a);
  });

  it('does not keep answers for very long paths', () => {
    const memo = routes(new MemoRouter());
    const path = `/api/sessions/${'x'.repeat(300)}`;
    const first = memo.match('GET', path);
    expect(first[0][1][1]).toEqual({ id: 'x'.repeat(300) });
    expect(memo.match('GET', path)).not.toBe(first);
  });

  it('forgets its answers when a route is added', () => {
    const memo = routes(new MemoRouter());
    expect(handlers(memo.match('GET', '/api/extra'))).toEqual(['log']);
    memo.add('GET', '/api/extra', 'extra');
    expect(handlers(memo.match('GET', '/api/extra'))).toEqual(['log', 'extra']);
  });
});
