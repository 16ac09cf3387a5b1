import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

/** Paths longer than this are matched every time: a few long URLs must not fill the memory. */
const LONGEST_MEMO_PATH = 256;

/**
 * A router that remembers its answer for each method and path it has matched. Hono's fast
 * RegExpRouter cannot hold this API's routes (`POST /api/sessions/import` beside
 * `POST /api/sessions/{id}/messages`), and the TrieRouter it falls back to walks its tree again on
 * every request: 1.5 µs for `/api/sessions` and 5 µs or more for a path with an id. An answer
 * depends on nothing but the method and the path (the routes are fixed once the app is built),
 * and Hono only reads it, so the same one serves every request for that path.
 *
 * At most `capacity` answers are kept; past that the oldest goes first, so a client cycling
 * through many paths costs a match each, as without the memo.
 */
export class MemoRouter<T> implements Router<T> {
  readonly name: string;
  readonly #inner: Router<T>;
  readonly #capacity: number;
  readonly #memo = new Map<string, Result<T>>();

  constructor({ inner = new TrieRouter<T>(), capacity = 1024 }: { inner?: Router<T>; capacity?: number } = {}) {
    this.#inner = inner;
    this.#capacity = capacity;
    this.name = `MemoRouter + ${inner.name}`;
  }

  add(method: string, path: string, handler: T): void {
    this.#memo.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > LONGEST_MEMO_PATH) return this.#inner.match(method, path);
    const key = `${method} ${path}`;
    let result = this.#memo.get(key);
    if (result === undefined) {
      result = this.#inner.match(method, path);
      if (this.#memo.size >= this.#capacity) this.#memo.delete(this.#memo.keys().next().value!);
      this.#memo.set(key, result);
    }
    return result;
  }
}
