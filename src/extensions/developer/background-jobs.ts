// Jobs a shell command leaves running in the background (`npm run dev &`): they may outlive the
// call that started them, as the person asking for a dev server expects, but not the extension
// (closed, disabled, reconfigured, removed) and not goosed.
import { liveProcessGroups, terminateProcessGroup } from '../process-group.js';

/** How often the groups are checked for having ended on their own, while there are any. */
const PRUNE_INTERVAL_MS = 10_000;

export class BackgroundJobs {
  /** Process group id → the function that stops tracking it for goosed's exit (trackProcessGroup). */
  readonly #groups = new Map<number, () => void>();
  #pruneTimer: NodeJS.Timeout | null = null;

  /** Groups still held (some may have ended since the last prune). */
  get size(): number {
    return this.#groups.size;
  }

  /** Takes over the group of a command whose shell exited while jobs it started still run. */
  adopt(groupId: number, forget: () => void): void {
    this.#groups.set(groupId, forget);
    this.#pruneTimer ??= setInterval(() => this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  /**
   * Forgets the groups whose every process has ended: they take no memory, and their ids, which
   * the kernel may hand out again, are never signalled.
   */
  prune(): void {
    if (this.#groups.size === 0) return;
    const alive = liveProcessGroups(this.#groups.keys());
    for (const [groupId, forget] of this.#groups) {
      if (alive.has(groupId)) continue;
      forget();
      this.#groups.delete(groupId);
    }
    if (this.#groups.size === 0) this.#stopPruning();
  }

  /** SIGTERM to every group still running, SIGKILL after `graceMs`; resolves once they are gone. */
  async stopAll(graceMs: number): Promise<void> {
    this.prune();
    const groups = [...this.#groups];
    this.#groups.clear();
    this.#stopPruning();
    await Promise.all(groups.map(([groupId, forget]) => terminateProcessGroup(groupId, graceMs).finally(forget)));
  }

  #stopPruning(): void {
    if (this.#pruneTimer) clearInterval(this.#pruneTimer);
    this.#pruneTimer = null;
  }
}
