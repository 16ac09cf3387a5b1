import type { EventPayload, SessionEvent } from '../api/events.js';
import type { SharedStore } from '../store/shared-store.js';
import type { EventBackbone } from './event-backbone.js';
import type { Follower, PublishedEvent } from './follower.js';
import type { ReplayLimits } from './replay-window.js';
import { SessionLog } from './session-log.js';
import { SharedBackbone } from './shared-backbone.js';
import { SharedSessionLog } from './shared-session-log.js';

export interface EventLogOptions {
  backbone: EventBackbone;
  /** Several instances on one database: events are numbered, stored and announced there (the backbone is not used). */
  shared?: Pick<SharedStore, 'sharedEvents' | 'notifications'>;
  /** A failure in the background (reading news from the database): logged. */
  onError?: (error: unknown) => void;
  /** Events kept in memory per session for replay (text deltas included). */
  replayCapacity?: number;
  /** Bytes of events (their JSON) kept in memory per session for replay; a bigger event is replayed from the store. */
  replayBytes?: number;
  /** A session nobody follows and nobody wrote to for this long is let go (its durable events stay in the store). */
  idleMs?: number;
}

/**
 * The sessions' event logs: the one way events are published and followed. A session's log is made
 * on first use and let go when idle; see SessionLog for what one does.
 */
export class EventLog {
  private readonly logs = new Map<string, SessionLog | SharedSessionLog>();
  private readonly shared: SharedBackbone | null;
  private readonly onError: (error: unknown) => void;
  private readonly replayLimits: ReplayLimits;
  private readonly backbone: EventBackbone;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: EventLogOptions) {
    this.backbone = options.backbone;
    this.replayLimits = { maxEvents: options.replayCapacity ?? 2048, maxBytes: options.replayBytes ?? 1024 * 1024 };
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.onError = options.onError ?? (() => {});
    this.shared = options.shared
      ? new SharedBackbone(options.shared, {
          onNews: (sessionId, lastSeq) => this.sharedLog(sessionId)?.news(lastSeq),
          onMissed: () => {
            for (const log of this.logs.values()) if (log instanceof SharedSessionLog) log.recheck();
          },
        })
      : null;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  /** Every event of every session is published here: numbered, committed when durable, delivered in order. */
  publish(sessionId: string, payload: EventPayload): Promise<SessionEvent> {
    return this.log(sessionId).publish(payload);
  }

  /** Replays what came after `after` (null: nothing), then follows live; returns the way to stop. */
  follow(sessionId: string, follower: Follower, after: number | null): () => void {
    return this.log(sessionId).follow(follower, after);
  }

  /** The seq of the session's last event delivered. */
  head(sessionId: string): Promise<number> {
    return this.log(sessionId).head();
  }

  /** An event for one client only, carrying the session's last seq (see SessionLog.unnumbered). */
  unnumbered(sessionId: string, payload: EventPayload): Promise<PublishedEvent> {
    return this.log(sessionId).unnumbered(payload);
  }

  followerCount(sessionId: string): number {
    return this.logs.get(sessionId)?.followerCount ?? 0;
  }

  /** The session was deleted: its followers are told, and its log goes. */
  drop(sessionId: string): void {
    const log = this.logs.get(sessionId);
    this.logs.delete(sessionId);
    log?.end('session_deleted');
  }

  close(): void {
    clearInterval(this.sweeper);
    void this.shared?.close().catch(() => {});
  }

  private log(sessionId: string): SessionLog | SharedSessionLog {
    let log = this.logs.get(sessionId);
    if (!log || log.failure !== null) {
      log = this.shared ? new SharedSessionLog(sessionId, this.shared, this.onError) : new SessionLog(sessionId, this.backbone, this.replayLimits);
      this.logs.set(sessionId, log);
    }
    return log;
  }

  private sharedLog(sessionId: string): SharedSessionLog | null {
    const log = this.logs.get(sessionId);
    return log instanceof SharedSessionLog ? log : null;
  }

  private sweep(): void {
    // Each instance prunes: the statement is cheap, and an instance alone would otherwise keep every delta.
    this.shared?.prune().catch(this.onError);
    const cutoff = Date.now() - this.idleMs;
    for (const [id, log] of this.logs) {
      if (log.idle && log.lastActivity < cutoff) this.logs.delete(id);
    }
  }
}
