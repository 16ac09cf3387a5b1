import type { EventHead } from './replay-window.js';

/** One event as followers get it: its JSON, made once and shared by every follower. */
export interface PublishedEvent {
  /** The event itself when delivered live; only its head (or the stored event) when replayed. */
  event: EventHead;
  json: string;
}

/** Why a follower's stream is over. */
export type FollowEnd = 'session_deleted' | 'reply_ended';

/**
 * Whoever follows a session's events (an SSE response, a WebSocket, a reply's own stream). Frames
 * for the wire are made from `json` by the follower, in server/.
 */
export interface Follower {
  /** What the follower missed, in one batch, before any live event (a `resync` event when it is gone). */
  replay(events: readonly PublishedEvent[]): void;
  deliver(published: PublishedEvent): void;
  /** Nothing more will come: the session was deleted, or the followed reply ended. */
  end?(reason: FollowEnd): void;
}
