import type { Store } from './store.js';

// What a store that several goosed instances share (PostgreSQL) adds to the store contract: event
// numbers every instance agrees on, one lease per running reply, and news between instances.
// test/support/shared-store-contract.ts proves it.

/** Channels a shared store notifies on by itself (payloads below); others are the caller's. */
export const EVENTS_CHANNEL = 'goosed_events';
/** Payload: the name of the table that changed (`providers`, `extensions`, `permissions`, `kv`). */
export const SETTINGS_CHANNEL = 'goosed_settings';
/** Payload: the id of a session whose reply lease was released or taken over. */
export const LEASES_CHANNEL = 'goosed_leases';

/** An event to number: its JSON without `seq` (an object with at least one member), durable or live. */
export interface UnnumberedEvent {
  json: string;
  live: boolean;
}

/** An event as stored: its seq and its JSON text (with the seq in it). */
export interface StoredEventText {
  seq: number;
  json: string;
}

/**
 * The session event log of several instances. Numbers come from one counter per session, the same
 * one `reserveSeq` raises, locked until the numbered events are committed: commits happen in seq
 * order, so whoever reads after a seq never finds a gap that fills in later.
 */
export interface SharedEvents {
  /**
   * Numbers the events (the session's next seqs, in order), stores them (durable ones for good,
   * live ones until pruned) and, at commit, notifies EVENTS_CHANNEL with `<session id> <last seq>`.
   * Returns the last seq: event i of n has seq `last - n + 1 + i`. NotFound when there is no such session.
   */
  append(sessionId: string, events: readonly UnnumberedEvent[]): Promise<number>;
  /** Events after `after`, durable and the live ones still kept, oldest first, at most `limit`. */
  read(sessionId: string, after: number, limit: number): Promise<StoredEventText[]>;
  /** The last seq committed in the session (0 before any); null when there is no such session. */
  last(sessionId: string): Promise<number | null>;
  /** Forgets live events stored at least `ageMs` ago; how many. A reader who needs one gets a gap (resync). */
  pruneLive(ageMs: number): Promise<number>;
}

export interface ReplyLease {
  session_id: string;
  /** The instance running the reply. */
  owner: string;
  reply_id: string | null;
  /** ISO 8601, by the database's clock: instances' clocks never decide who holds a lease. */
  expires_at: string;
}

/**
 * Who runs the reply of a session, across instances: at most one lease per session. A lease that
 * expired stays until someone takes it over (to settle the reply its owner left) or its owner
 * releases it: a new reply never starts over a reply nobody settled.
 */
export interface ReplyLeases {
  /** Takes the session's lease for `ttlMs`; false while anyone (this owner too) holds one. NotFound when there is no such session. */
  acquire(sessionId: string, owner: string, replyId: string | null, ttlMs: number): Promise<boolean>;
  /** Records the reply a held lease is for; false when `owner` does not hold it. */
  setReply(sessionId: string, owner: string, replyId: string | null): Promise<boolean>;
  /** The heartbeat: extends every lease `owner` still holds by `ttlMs`; the sessions it holds. */
  renew(owner: string, ttlMs: number): Promise<string[]>;
  /** Gives the lease up (notifying LEASES_CHANNEL); false when `owner` did not hold it. */
  release(sessionId: string, owner: string): Promise<boolean>;
  get(sessionId: string): Promise<ReplyLease | null>;
  /** Leases whose owner stopped renewing them. */
  listExpired(): Promise<ReplyLease[]>;
  /**
   * Makes an expired lease of `expiredOwner` this owner's for `ttlMs` (notifying LEASES_CHANNEL):
   * the lease as it was, or null when it was renewed, released or taken over meanwhile. Only one
   * of several instances trying at once gets it.
   */
  takeOver(sessionId: string, expiredOwner: string, owner: string, ttlMs: number): Promise<ReplyLease | null>;
}

/** News between instances: LISTEN/NOTIFY, delivered at commit, in commit order. */
export interface Notifications {
  /**
   * Calls `onNotify` with each payload sent on `channel` (by any instance, this one too) once the
   * promise resolves. After a lost connection it listens again and calls `onReconnect`: what was
   * sent meanwhile is lost, so read again what matters. Resolves to the way to stop.
   */
  subscribe(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /** Payloads up to 7,999 bytes. */
  notify(channel: string, payload: string): Promise<void>;
}

export interface SharedStore extends Store {
  readonly sharedEvents: SharedEvents;
  readonly leases: ReplyLeases;
  readonly notifications: Notifications;
  /**
   * Merges the members of `patch` into the JSON object stored under `key` (created if missing), in
   * one statement: instances merging at once keep each other's members (a read, then a write, would
   * lose one). Rejects when the stored value is not a JSON object.
   */
  mergeValue(key: string, patch: Record<string, unknown>): Promise<void>;
}

export function isSharedStore(store: Store): store is SharedStore {
  return 'sharedEvents' in store && 'leases' in store && 'notifications' in store;
}
