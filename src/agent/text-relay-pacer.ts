import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** A reply whose streamed text waits for the pacer's next tick. */
export interface HeldRelay {
  relayHeld(): void;
}

export interface TextRelayPacerOptions {
  /** The longest a reply's text waits while the server is saturated. */
  maxWindowMs?: number;
  /** How often the load is looked at while text streams. */
  sampleMs?: number;
  /**
   * The share of the time since the last call that the event loop was busy, 0 to 1. Default: Node's
   * event-loop utilization. Tests give a fixed one.
   */
  utilization?: () => number;
}

const MIN_WINDOW_MS = 8;
const BUSY = 0.9;
const EASY = 0.5;

/**
 * How often streamed text is relayed, from the load of this process. Unloaded, every reply's text
 * goes out as it arrives, once per event-loop turn. Once the event loop is busy at least 90% of
 * the time, text waits for a shared tick instead, `window` ms apart (8 ms at first, doubled while
 * the loop stays that busy, up to `maxWindowMs`), so a reply streaming a token per read costs one
 * `content_delta`, one frame and one socket write per client per tick instead of per token: most
 * of relaying's cost is per write (docs/benchmarks.md). The window halves, and then closes, once
 * the loop is busy less than half the time. A reply's first text never waits: the time to the first
 * token is what a busy server must not add to.
 */
export class TextRelayPacer {
  private window = 0;
  private readonly held = new Set<HeldRelay>();
  private tickTimer: NodeJS.Timeout | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private textSinceSample = false;
  private readonly maxWindowMs: number;
  private readonly sampleMs: number;
  private readonly utilization: () => number;

  constructor(options: TextRelayPacerOptions = {}) {
    this.maxWindowMs = options.maxWindowMs ?? 40;
    this.sampleMs = options.sampleMs ?? 100;
    this.utilization = options.utilization ?? loopUtilization();
  }

  /** 0 when text goes out as it arrives; else how long it may wait now. */
  get windowMs(): number {
    return this.window;
  }

  /**
   * Text has arrived for a reply. True when it is to go out now (the caller relays it, as it always
   * did); false when the pacer took it and calls `relayHeld` at its next tick.
   */
  offer(relay: HeldRelay): boolean {
    this.textSinceSample = true;
    this.sampler ??= setInterval(this.sample, this.sampleMs).unref();
    if (this.window === 0) return true;
    this.held.add(relay);
    this.tickTimer ??= setTimeout(this.tick, this.window);
    return false;
  }

  /** At shutdown: held text goes out now, and no timer is left. */
  close(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tick();
    this.window = 0;
  }

  private readonly tick = () => {
    this.tickTimer = null;
    const due = [...this.held];
    this.held.clear();
    for (const relay of due) relay.relayHeld();
  };

  private readonly sample = () => {
    const busy = this.utilization();
    if (busy >= BUSY) this.window = this.window === 0 ? MIN_WINDOW_MS : Math.min(this.maxWindowMs, this.window * 2);
    else if (busy < EASY) this.window = this.window / 2 < MIN_WINDOW_MS ? 0 : this.window / 2;
    // Sampling stops with the text (and starts again with it): an idle server runs no timer for this.
    if (!this.textSinceSample && this.window === 0 && this.sampler) {
      clearInterval(this.sampler);
      this.sampler = null;
    }
    this.textSinceSample = false;
  };
}

/** Node's event-loop utilization since the previous call (the first call: since this was made). */
function loopUtilization(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return busy;
  };
}
