import type { SessionEvent } from '../api/events.js';
import type { Store } from '../store/store.js';

/** Numbers a process may hand out for a session, first to last, in order. */
export interface SeqBlock {
  first: number;
  last: number;
}

/**
 * What the event log stands on: where a session's seq numbers come from, where durable events are
 * committed and read back. Today (StoreBackbone) seq blocks are reserved in the store and events fan
 * out in this process only. Several instances on one database (issue 14) put another backbone here:
 * numbers and commits that every instance agrees on, and news of events published elsewhere.
 */
export interface EventBackbone {
  /** Numbers never handed out before (not before a restart either); the next block may not follow this one. */
  reserve(sessionId: string): Promise<SeqBlock>;
  /** Commits a durable event: nobody sees it before this resolves. */
  commit(event: SessionEvent, json: string): Promise<void>;
  /** Durable events after `after`, oldest first, at most `limit`. */
  read(sessionId: string, after: number, limit: number): Promise<SessionEvent[]>;
}

/** Numbers reserved per trip to the store: a restart skips what was left of the block. */
const SEQ_BLOCK = 1000;

/** The backbone of one goosed process: seq blocks and durable events in its store. */
export class StoreBackbone implements EventBackbone {
  constructor(private readonly store: Pick<Store, 'reserveSeq' | 'appendEvent' | 'listEvents'>) {}

  async reserve(sessionId: string): Promise<SeqBlock> {
    const { floor, ceiling } = await this.store.reserveSeq(sessionId, SEQ_BLOCK);
    return { first: floor + 1, last: ceiling };
  }

  async commit(event: SessionEvent, json: string): Promise<void> {
    await this.store.appendEvent(event, json);
  }

  async read(sessionId: string, after: number, limit: number): Promise<SessionEvent[]> {
    return this.store.listEvents(sessionId, after, limit);
  }
}
