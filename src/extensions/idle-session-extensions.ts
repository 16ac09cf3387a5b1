import type { ExtensionEntry, ExtensionRegistry } from './extension-registry.js';

export interface IdleSessionExtensionsOptions {
  registry: ExtensionRegistry;
  /** A session's extensions unused for this long are stopped. */
  idleMs: number;
  /** Stops what is running of these entries (their next use starts them again). */
  stop: (entries: ExtensionEntry[]) => Promise<unknown>;
}

/**
 * Stops the extensions of a session that has not used them for a while. An editor gives every new
 * session its MCP servers and seldom deletes sessions, so without this their processes would pile
 * up for as long as goosed runs. Never while one of the session's calls runs; the next reply that
 * needs them starts them again. Checked on a coarse timer, armed only while a session has used any.
 */
export class IdleSessionExtensions {
  readonly #options: IdleSessionExtensionsOptions;
  /** Sessions whose extensions were used and may be running: when last used, and calls running now. */
  readonly #sessions = new Map<string, { lastUse: number; calls: number }>();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: IdleSessionExtensionsOptions) {
    this.#options = options;
  }

  /** The session's extensions were used now. */
  used(sessionId: string): void {
    if (this.#options.registry.all(sessionId).length === 0) return;
    const session = this.#sessions.get(sessionId);
    if (session) session.lastUse = Date.now();
    else this.#sessions.set(sessionId, { lastUse: Date.now(), calls: 0 });
    this.#timer ??= setInterval(() => this.#sweep(), Math.min(this.#options.idleMs, 60_000)).unref();
  }

  /** Runs work with the session's extensions (listing their tools, a call); the session is in use until it ends. */
  async during<T>(sessionId: string, call: () => Promise<T>): Promise<T> {
    this.used(sessionId);
    const session = this.#sessions.get(sessionId);
    if (session) session.calls++;
    try {
      return await call();
    } finally {
      if (session) {
        session.calls--;
        session.lastUse = Date.now();
      }
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#sessions.clear();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [sessionId, session] of this.#sessions) {
      if (session.calls > 0 || now - session.lastUse < this.#options.idleMs) continue;
      this.#sessions.delete(sessionId);
      void this.#options.stop(this.#options.registry.all(sessionId));
    }
    if (this.#sessions.size === 0) this.close();
  }
}
