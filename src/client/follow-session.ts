import { GoosedError } from './goosed-error.js';
import { SseParser, type SseFrame } from './sse-parser.js';
import type { SessionEvent } from './types.js';

/** The secret key, or a function asked before every request (so a page can change it). */
export type KeySource = string | null | undefined | (() => string | null | undefined);

export const keyOf = (source: KeySource): string | null => (typeof source === 'function' ? source() : source) || null;

export type FollowState =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'waiting'; retryInMs: number; error: GoosedError }
  | { state: 'stopped'; error: GoosedError | null };

export interface Resync {
  reason: string;
  /** Following goes on after this seq; null when the position before the gap is unknown. */
  seq: number | null;
}

export interface FollowSessionOptions {
  /** Where goosed answers, e.g. `http://127.0.0.1:8080` (a page passes `location.origin`). */
  baseUrl: string;
  sessionId: string;
  key?: KeySource;
  /** Replay what came after this seq first; null or absent follows from now on. */
  after?: number | null;
  /** Every event, in seq order, each once. */
  onEvent(event: SessionEvent): void;
  /**
   * Events were missed and cannot be replayed (the server's `resync` event, or a reconnect before
   * any position was known): fetch the session again; live events keep coming after this call.
   */
  onResync(resync: Resync): void;
  onState?(state: FollowState): void;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  /** The first wait before reconnecting; default: the server's `retry:` hint, else 1 s. Doubles per failure. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** With no byte for this long (the server sends a heartbeat every 15 s), the connection is taken as dead. */
  idleTimeoutMs?: number;
}

export interface SessionFollower {
  /** The seq of the last event delivered (what a reconnect sends as Last-Event-ID). */
  readonly lastEventId: number | null;
  /** Stops following; `done` then resolves with no error. */
  close(): void;
  /** Resolves when following stopped: closed, or a refusal a retry cannot fix (401, 403, 404, 400). */
  readonly done: Promise<GoosedError | null>;
}

/** Refusals that reconnecting would only repeat: a wrong key, a deleted session, a bad request. */
const FINAL_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Follows `GET /api/sessions/{id}/events` over fetch (so it can send the key), reconnecting with
 * `Last-Event-ID` after a dropped connection, a server restart or a silent network, with growing
 * waits. Replay means no event is lost or repeated across reconnects.
 */
export function followSession(options: FollowSessionOptions): SessionFollower {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  const idleTimeout = options.idleTimeoutMs ?? 45_000;
  const url = `${options.baseUrl.replace(/\/$/, '')}/api/sessions/${encodeURIComponent(options.sessionId)}/events`;
  let lastEventId = options.after ?? null;
  let serverRetryMs: number | null = null;
  let stopped = false;
  let current: AbortController | null = null;
  let wake: (() => void) | null = null;

  const stop = () => {
    stopped = true;
    current?.abort();
    wake?.();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stopped = true;

  const deliver = (frame: SseFrame) => {
    let event: SessionEvent;
    try {
      event = JSON.parse(frame.data) as SessionEvent;
    } catch {
      return; // not an event of ours; nothing to act on
    }
    if (event.type === 'resync') {
      lastEventId = event.seq;
      options.onResync({ reason: event.reason, seq: event.seq });
      return;
    }
    if (typeof event.seq !== 'number' || (lastEventId !== null && event.seq <= lastEventId)) return;
    lastEventId = event.seq;
    options.onEvent(event);
  };

  const readStream = async (body: ReadableStream<Uint8Array>, controller: AbortController) => {
    const parser = new SseParser({ frame: deliver, retry: (ms) => (serverRetryMs = ms) });
    const decoder = new TextDecoder();
    const reader = body.getReader();
    let idleTimer = setTimeout(() => controller.abort(), idleTimeout);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || stopped) return;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => controller.abort(), idleTimeout);
        parser.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(idleTimer);
      reader.cancel().catch(() => {});
    }
  };

  const run = async (): Promise<GoosedError | null> => {
    let failures = 0;
    let opened = false;
    while (!stopped) {
      const controller = new AbortController();
      current = controller;
      let error: GoosedError;
      options.onState?.({ state: 'connecting', attempt: failures + 1 });
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        const key = keyOf(options.key);
        if (key) headers.Authorization = `Bearer ${key}`;
        if (lastEventId !== null) headers['Last-Event-ID'] = String(lastEventId);
        const response = await fetchImpl(url, { headers, signal: controller.signal, cache: 'no-store' });
        if (!response.ok || !response.body) {
          error = await GoosedError.fromResponse(response);
          if (FINAL_STATUSES.has(response.status)) {
            options.onState?.({ state: 'stopped', error });
            return error;
          }
        } else {
          if (opened && lastEventId === null) options.onResync({ reason: 'reconnected before any event gave a position', seq: null });
          opened = true;
          failures = 0;
          options.onState?.({ state: 'open' });
          await readStream(response.body, controller);
          error = new GoosedError(0, 'stream_ended', 'The event stream ended.');
        }
      } catch (caught) {
        error = new GoosedError(0, 'unreachable', caught instanceof Error ? caught.message : String(caught));
      }
      if (stopped) break;
      failures++;
      const base = options.reconnectDelayMs ?? serverRetryMs ?? 1000;
      // Jitter spreads the reconnects of many clients after a server restart.
      const delay = Math.min(maxDelay, base * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
      options.onState?.({ state: 'waiting', retryInMs: Math.round(delay), error });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    options.onState?.({ state: 'stopped', error: null });
    return null;
  };

  const done = run();
  return {
    get lastEventId() {
      return lastEventId;
    },
    close: stop,
    done,
  };
}
