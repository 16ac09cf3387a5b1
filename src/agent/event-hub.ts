import type { EventPayload } from '../api/events.js';
import type { Store } from '../store/store.js';
import type { ReplayLimits } from './replay-window.js';
import { SessionChannel, type PublishedEvent } from './session-channel.js';

export interface EventHubOptions {
  /** Events kept in memory per session for replay (text deltas included). */
  replayCapacity?: number;
  /** Bytes of events (their JSON) kept in memory per session for replay; a bigger event is replayed from the store. */
  replayBytes?: number;
  /** A channel nobody follows and nobody wrote to for this long is dropped (its durable events stay in the store). */
  idleMs?: number;
}

/** The channels of the sessions that are active now; others are made on demand from the store. */
export class EventHub {
  private readonly channels = new Map<string, SessionChannel>();
  private readonly replayLimits: ReplayLimits;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    options: EventHubOptions = {},
  ) {
    this.replayLimits = { maxEvents: options.replayCapacity ?? 2048, maxBytes: options.replayBytes ?? 1024 * 1024 };
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  channel(sessionId: string): SessionChannel {
    let channel = this.channels.get(sessionId);
    if (!channel) {
      channel = new SessionChannel(sessionId, this.store, this.replayLimits);
      this.channels.set(sessionId, channel);
    }
    return channel;
  }

  publish(sessionId: string, payload: EventPayload): PublishedEvent {
    return this.channel(sessionId).publish(payload);
  }

  /** For a deleted session: its followers are told by the caller, then the channel goes. */
  drop(sessionId: string): SessionChannel | undefined {
    const channel = this.channels.get(sessionId);
    this.channels.delete(sessionId);
    return channel;
  }

  /** Marks a channel as in use (a running reply) so that the sweeper keeps it. */
  touch(sessionId: string): void {
    const channel = this.channels.get(sessionId);
    if (channel) channel.lastActivity = Date.now();
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [id, channel] of this.channels) {
      if (channel.subscribers.size === 0 && channel.lastActivity < cutoff) this.channels.delete(id);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
