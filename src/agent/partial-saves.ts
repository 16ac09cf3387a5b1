/** What PartialSaves asks of a reply: save the text it streamed since its last save. */
export interface PartialSave {
  flushPartial(): void;
}

/**
 * One timer for the streamed text of every reply: each tick saves every reply whose text changed
 * since its last save. With a timer per reply, 500 replies made 500 separate writes (each its own
 * SQLite transaction) every interval; together in one turn, the store commits them at once.
 * Text waits at most one interval, as before.
 */
export class PartialSaves {
  private readonly pending = new Set<PartialSave>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  /** The reply has text to save: saved at the next tick (at most `intervalMs` from now). */
  add(reply: PartialSave): void {
    this.pending.add(reply);
    this.timer ??= setTimeout(this.tick, this.intervalMs);
  }

  /** The reply saved itself meanwhile. */
  delete(reply: PartialSave): void {
    this.pending.delete(reply);
  }

  private readonly tick = () => {
    this.timer = null;
    const due = [...this.pending];
    this.pending.clear();
    for (const reply of due) reply.flushPartial();
  };
}
