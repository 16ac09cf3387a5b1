/** A session's one reply slot, held from admission to the reply's end. */
export interface ReplySlot {
  /** Idempotent; settles once another may take the slot (a lease in the database is gone). */
  release(): void | Promise<void>;
}

/**
 * Who may run a reply in a session now: the narrow part of admission that several goosed instances
 * on one database (issue 14) replace with a lease per session, held by one instance and renewed.
 */
export interface ReplySlots {
  /**
   * The session's slot, or null while a reply holds it. `replyId`, when known, is the reply it is
   * taken for (its assistant message): another instance finding the slot held can tell from it
   * whether that reply has already ended (see replyElsewhere).
   */
  take(sessionId: string, replyId?: string | null): Promise<ReplySlot | null>;
  /** Settles once the slot may be free again (the reply holding it ended): then take() again. */
  freed(sessionId: string): Promise<void>;
  /** For a reply left by a restart (or by an instance that died): the slot, or null while a live instance holds it. */
  claim(sessionId: string): Promise<ReplySlot | null>;
  /** Whether a reply runs in the session on another instance. */
  heldElsewhere(sessionId: string): Promise<boolean>;
  /** The reply another instance holds the session's slot for, when it said which; null otherwise. */
  replyElsewhere(sessionId: string): Promise<string | null>;
  open(): Promise<void>;
  close(): Promise<void>;
}

const free = Promise.resolve();

/** The slots of one goosed process: a map in memory. */
export class LocalReplySlots implements ReplySlots {
  private readonly held = new Map<string, Promise<void>>();

  async take(sessionId: string): Promise<ReplySlot | null> {
    if (this.held.has(sessionId)) return null;
    let release!: () => void;
    this.held.set(sessionId, new Promise<void>((resolve) => (release = resolve)));
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(sessionId);
        release();
      },
    };
  }

  freed(sessionId: string): Promise<void> {
    return this.held.get(sessionId) ?? free;
  }

  claim(sessionId: string): Promise<ReplySlot | null> {
    return this.take(sessionId);
  }

  async heldElsewhere(): Promise<boolean> {
    return false;
  }

  async replyElsewhere(): Promise<string | null> {
    return null;
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {}
}
