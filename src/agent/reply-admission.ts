import { NotFound, SessionBusy, ShuttingDown } from '../api/domain-errors.js';
import type { Message } from '../api/messages.js';
import type { SessionSummary } from '../api/sessions.js';
import type { Store } from '../store/store.js';
import { LocalReplySlots, type ReplySlot, type ReplySlots } from './reply-slots.js';

export interface ReplyAdmissionOptions {
  store: Pick<Store, 'getSession' | 'getMessage' | 'findMessageByClientId' | 'findReply'>;
  /** Who holds each session's one reply (default: this process; issue 14: a lease in the database). */
  slots?: ReplySlots;
}

/** A message may start a reply: its session as read now (passed down, not read again), and the slot. */
export interface Admitted {
  session: SessionSummary;
  slot: ReplySlot;
}

/** The message was sent before (same client id): the user message stored then, and its reply if any. */
export interface Repeated {
  repeatOf: Message;
  reply: Message | null;
}

/**
 * Which messages may start a reply: one reply per session at a time (a second message is refused
 * with SessionBusy, or waits with `queue`), none while the server stops or the session is being
 * deleted, and none for a message already sent (idempotency by client id).
 */
export class ReplyAdmission {
  private readonly store: ReplyAdmissionOptions['store'];
  private readonly slots: ReplySlots;
  private closed = false;
  private readonly deleting = new Set<string>();
  /** The client id of the message each held slot was taken for (until its message is written, a repeat finds only this). */
  private readonly clientIds = new Map<string, string>();

  constructor(options: ReplyAdmissionOptions) {
    this.store = options.store;
    this.slots = options.slots ?? new LocalReplySlots();
  }

  /** `replyId`: the id the reply's assistant message will have, when the slot is taken for a reply. */
  async admit(sessionId: string, { clientId, queue, replyId = null }: { clientId: string | null; queue: boolean; replyId?: string | null }): Promise<Admitted | Repeated> {
    for (;;) {
      this.refuseNew(sessionId);
      // Checked again after each wait: a queued repeat of a message must not insert it twice.
      if (clientId) {
        const repeatOf = await this.store.findMessageByClientId(sessionId, clientId);
        if (repeatOf) return { repeatOf, reply: await this.store.findReply(sessionId, repeatOf.id) };
      }
      const slot = await this.slots.take(sessionId, replyId);
      if (slot) return this.withSession(sessionId, clientId === null ? slot : this.heldFor(sessionId, clientId, slot));
      // A repeat of the message that holds the slot is no second message: it waits for the first.
      const repeat = clientId !== null && this.clientIds.get(sessionId) === clientId;
      if (!queue && !repeat && !(await this.endingElsewhere(sessionId))) throw new SessionBusy();
      await this.slots.freed(sessionId);
    }
  }

  /** The slot of a reply left by a restart or by a dead instance; null while a live one runs it. */
  resume(sessionId: string): Promise<ReplySlot | null> {
    return this.slots.claim(sessionId);
  }

  /** Whether another instance runs the session's reply now. */
  heldElsewhere(sessionId: string): Promise<boolean> {
    return this.slots.heldElsewhere(sessionId);
  }

  /** Settles once the session's slot may be free again. */
  freed(sessionId: string): Promise<void> {
    return this.slots.freed(sessionId);
  }

  open(): Promise<void> {
    return this.slots.open();
  }

  /** After an await, before anything is written: refuses what admit() would refuse now. */
  refuseNew(sessionId: string): void {
    if (this.closed) throw new ShuttingDown();
    if (this.deleting.has(sessionId)) throw NotFound.of('session', sessionId);
  }

  /** Shutdown: no reply starts from here on (it would outlive the store it writes to). */
  close(): void {
    this.closed = true;
  }

  /** After the replies stopped: leases still held (replies waiting for a person) are left to expire. */
  closeSlots(): Promise<void> {
    return this.slots.close();
  }

  /** While a session is being deleted, its messages are refused as if it were gone. */
  async whileDeleting<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    this.deleting.add(sessionId);
    try {
      return await work();
    } finally {
      this.deleting.delete(sessionId);
    }
  }

  /**
   * Whether another instance holds the slot for a reply that has already ended: it is letting the
   * session go (a few round trips), and a message sent as soon as the client saw the end waits for
   * that rather than being refused as busy.
   */
  private async endingElsewhere(sessionId: string): Promise<boolean> {
    const replyId = await this.slots.replyElsewhere(sessionId);
    if (replyId === null) return false;
    const reply = await this.store.getMessage(sessionId, replyId);
    return reply !== null && reply.status !== 'running';
  }

  private heldFor(sessionId: string, clientId: string, slot: ReplySlot): ReplySlot {
    this.clientIds.set(sessionId, clientId);
    return {
      release: () => {
        if (this.clientIds.get(sessionId) === clientId) this.clientIds.delete(sessionId);
        return slot.release();
      },
    };
  }

  private async withSession(sessionId: string, slot: ReplySlot): Promise<Admitted> {
    try {
      this.refuseNew(sessionId);
      // Read once the slot is ours: a message that waited in the queue sees the session as it is now.
      const session = await this.store.getSession(sessionId);
      if (!session) throw NotFound.of('session', sessionId);
      return { session, slot };
    } catch (error) {
      await slot.release();
      throw error;
    }
  }
}
