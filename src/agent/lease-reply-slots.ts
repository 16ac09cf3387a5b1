import { randomUUID } from 'node:crypto';
import { LEASES_CHANNEL, type ReplyLease, type SharedStore } from '../store/shared-store.js';
import { LocalReplySlots, type ReplySlot, type ReplySlots } from './reply-slots.js';

/** How long a reply's lease lasts unless renewed, and how often its owner renews it (and looks for expired ones). */
export interface LeaseTimings {
  ttlMs: number;
  renewMs: number;
}

/** Settled within 30 s of an owner's death: at most 15 s to expire, then found at the next look (every 5 s). */
export const DEFAULT_LEASE_TIMINGS: LeaseTimings = { ttlMs: 15_000, renewMs: 5_000 };

export interface LeaseReplySlotsOptions {
  store: Pick<SharedStore, 'leases' | 'notifications'>;
  /** This instance, as the owner of its leases: the same across its restarts (server/instance-id.ts). */
  owner?: string;
  timings?: LeaseTimings;
  onError?: (error: unknown) => void;
}

const ignore = () => {};

/**
 * The reply slots of several instances on one database: a slot is a lease row (store/shared-store.ts)
 * held by this instance and renewed by heartbeat, so that one reply runs per session across all of
 * them. A lease whose owner stopped renewing it (killed, cut off) is handed to `onExpired`, which
 * settles that reply here as a restart would.
 */
export class LeaseReplySlots implements ReplySlots {
  readonly owner: string;
  /** Set once the lifecycle exists: settles the reply of a session whose owner's lease expired. */
  onExpired: (sessionId: string) => Promise<void> = async () => {};
  private readonly store: LeaseReplySlotsOptions['store'];
  private readonly timings: LeaseTimings;
  private readonly onError: (error: unknown) => void;
  /** Within this process first: a second take here waits for no database to say no. */
  private readonly local = new LocalReplySlots();
  private readonly waiting = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private sweeping = false;

  constructor(options: LeaseReplySlotsOptions) {
    this.store = options.store;
    this.owner = options.owner ?? randomUUID();
    this.timings = options.timings ?? DEFAULT_LEASE_TIMINGS;
    this.onError = options.onError ?? ignore;
  }

  /** Listens for freed slots, and starts the heartbeat that renews this instance's leases and finds expired ones. */
  async open(): Promise<void> {
    // Leases this instance held before a restart are its own again, renewed before anyone finds them expired.
    await this.store.leases.renew(this.owner, this.timings.ttlMs);
    this.stopListening = await this.store.notifications.subscribe(
      LEASES_CHANNEL,
      (sessionId) => this.wake(sessionId),
      () => {
        for (const sessionId of [...this.waiting.keys()]) this.wake(sessionId);
      },
    );
    this.timer = setInterval(() => void this.beat(), this.timings.renewMs);
    this.timer.unref();
  }

  async take(sessionId: string, replyId: string | null = null): Promise<ReplySlot | null> {
    const local = await this.local.take(sessionId);
    if (!local) return null;
    try {
      if (await this.store.leases.acquire(sessionId, this.owner, replyId, this.timings.ttlMs)) return this.slot(sessionId, local);
    } catch (error) {
      local.release();
      throw error;
    }
    local.release();
    return null;
  }

  /** For a reply left by a restart or by a dead owner: the lease if free or expired; null while a live instance holds it. */
  async claim(sessionId: string): Promise<ReplySlot | null> {
    const local = await this.local.take(sessionId);
    if (!local) return null;
    try {
      if (await this.store.leases.acquire(sessionId, this.owner, null, this.timings.ttlMs)) return this.slot(sessionId, local);
      const lease = await this.store.leases.get(sessionId);
      // Ours from before a restart (no reply of ours runs it now: the local slot is free), or expired.
      if (lease?.owner === this.owner) return this.slot(sessionId, local);
      if (lease && (await this.store.leases.takeOver(sessionId, lease.owner, this.owner, this.timings.ttlMs))) return this.slot(sessionId, local);
    } catch (error) {
      local.release();
      throw error;
    }
    local.release();
    return null;
  }

  freed(sessionId: string): Promise<void> {
    return new Promise<void>((resolve) => {
      let waiters = this.waiting.get(sessionId);
      if (!waiters) this.waiting.set(sessionId, (waiters = new Set()));
      waiters.add(resolve);
      // Released before this waiter was in place: its news came and went.
      this.store.leases.get(sessionId).then((lease) => {
        if (!lease) this.wake(sessionId);
      }, this.onError);
    });
  }

  /** Whether another instance runs a reply in the session now. */
  async heldElsewhere(sessionId: string): Promise<boolean> {
    const lease = await this.store.leases.get(sessionId);
    return lease !== null && lease.owner !== this.owner;
  }

  async replyElsewhere(sessionId: string): Promise<string | null> {
    const lease = await this.store.leases.get(sessionId);
    return lease !== null && lease.owner !== this.owner ? lease.reply_id : null;
  }

  /** Stops renewing: leases still held (replies left waiting for a person) expire, and another instance takes them over. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.stopListening?.().catch(ignore);
  }

  private slot(sessionId: string, local: ReplySlot): ReplySlot {
    let released: Promise<void> | null = null;
    return {
      release: () =>
        (released ??= this.store.leases
          .release(sessionId, this.owner)
          .then(ignore, this.onError)
          .finally(() => local.release())),
    };
  }

  private wake(sessionId: string): void {
    const waiters = this.waiting.get(sessionId);
    this.waiting.delete(sessionId);
    for (const resolve of waiters ?? []) resolve();
  }

  private async beat(): Promise<void> {
    try {
      await this.store.leases.renew(this.owner, this.timings.ttlMs);
      if (this.sweeping) return;
      this.sweeping = true;
      try {
        const expired: ReplyLease[] = (await this.store.leases.listExpired()).filter((lease) => lease.owner !== this.owner);
        for (const lease of expired) await this.onExpired(lease.session_id).catch(this.onError);
      } finally {
        this.sweeping = false;
      }
    } catch (error) {
      this.onError(error);
    }
  }
}
