import type { SessionEventType } from '../api/events.js';

/** What fan-out and replay read of an event besides its JSON: its place, its type and whose it is. */
export interface EventHead {
  seq: number;
  type: SessionEventType;
  message_id?: string;
}

/** A remembered event: its JSON, or null when it was too big to keep (the head keeps its place). */
export interface KeptEvent {
  event: EventHead;
  json: string | null;
}

export interface ReplayLimits {
  /** Events remembered (one whose JSON was not kept counts too). */
  maxEvents: number;
  /** Characters of JSON remembered (about bytes: events are mostly ASCII). */
  maxBytes: number;
}

/** Slots dropped from the front are compacted away once they are this many and half the array. */
const COMPACT_AFTER = 64;

/**
 * A session's most recent events, in seq order without gaps, for replay: bounded in number and in
 * bytes, the oldest going first. An event larger than the whole budget keeps only its head, so that
 * replay knows to fetch it from the store (or to send `resync` when it was a live one). Only the
 * JSON is kept: the frames made from it for SSE and WebSocket live only in the queues that send them.
 */
export class ReplayWindow {
  private kept: (KeptEvent | undefined)[] = [];
  private first = 0;
  private bytes = 0;

  constructor(private readonly limits: ReplayLimits) {}

  /** The seq of the oldest remembered event, or null when none is. */
  get oldestSeq(): number | null {
    return this.first < this.kept.length ? this.kept[this.first]!.event.seq : null;
  }

  /** Remembers the event that follows the newest one. */
  add(event: EventHead, json: string): void {
    const fits = json.length <= this.limits.maxBytes;
    const size = fits ? json.length : 0;
    while (this.count > 0 && (this.count >= this.limits.maxEvents || this.bytes + size > this.limits.maxBytes)) this.dropOldest();
    this.kept.push({ event, json: fits ? json : null });
    this.bytes += size;
  }

  /** The remembered events after `after`, oldest first (from the oldest when `after` is older). */
  since(after: number): KeptEvent[] {
    const oldest = this.oldestSeq;
    if (oldest === null) return [];
    return this.kept.slice(this.first + Math.max(0, after + 1 - oldest)) as KeptEvent[];
  }

  private get count(): number {
    return this.kept.length - this.first;
  }

  private dropOldest(): void {
    this.bytes -= this.kept[this.first]!.json?.length ?? 0;
    // Cleared at once: a dropped slot must not hold its JSON until the next compaction.
    this.kept[this.first++] = undefined;
    if (this.first >= COMPACT_AFTER && this.first * 2 >= this.kept.length) {
      this.kept = this.kept.slice(this.first);
      this.first = 0;
    }
  }
}
