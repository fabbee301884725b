/**
 * Debounce and edge filtering for a backend whose pin library reports raw level changes
 * (onoff's watch, Firmata's digital reports), on the injected Clock so tests are exact. The
 * semantics are the mock's (hil-tests/harness/mock-digital-in.ts), which are Espruino's setWatch:
 *
 * - after a raw change the edge is reported only if the level then stays put for debounceMs; the
 *   event carries the time of that last change and is delivered at change + debounceMs;
 * - bounces shorter than debounceMs, and glitches back to the reported level, give nothing;
 * - with debounceMs 0 every change is an edge, delivered from a zero-delay timer (never inside
 *   the caller's stack);
 * - `edge` filters the debounced edges; the debounced level follows the pin regardless;
 * - the level the pin has when the watch opens is not reported.
 *
 * A library that reads the level when it handles an interrupt may report the same level twice
 * (two edges merged); that counts as a change that restarts the window and is never an edge.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { DigitalInOptions, Level } from '../../firmware/hal/pins.js';

export type EdgeDebounceOptions = Pick<DigitalInOptions, 'edge' | 'debounceMs' | 'onEdge'>;

export class EdgeDebouncer {
  private state: 'watching' | 'closed' = 'watching';
  /** The level the watch last settled on (reported or filtered out by `edge`). */
  private settled: Level;
  private readonly timers = new Set<TimerId>();
  private pending: TimerId | undefined;

  constructor(private readonly clock: Clock, private readonly options: EdgeDebounceOptions, initial: Level) {
    this.settled = initial;
  }

  /** The level the pin has now, with nothing reported (a watch opening, a board reconnecting). */
  baseline(level: Level): void {
    this.dropPending();
    this.settled = level;
  }

  /** A raw level seen on the pin at monotonic `time` (default now). */
  change(level: Level, time = this.clock.now()): void {
    if (this.state === 'closed') return;
    if (this.options.debounceMs === 0) {
      if (level === this.settled) return;
      this.settled = level;
      this.later(0, () => this.report(level, time));
      return;
    }
    // Any change restarts the stability window; being back at the settled level cancels it.
    this.dropPending();
    if (level === this.settled) return;
    this.pending = this.later(this.options.debounceMs, () => {
      this.pending = undefined;
      this.settled = level;
      this.report(level, time);
    });
  }

  /**
   * Drops a change still waiting out its debounce (the board went away, so nobody saw whether
   * the level held). Edges already settled (debounceMs 0) are still delivered.
   */
  dropPending(): void {
    if (this.pending === undefined) return;
    this.clock.clearTimer(this.pending);
    this.timers.delete(this.pending);
    this.pending = undefined;
  }

  /** Cancels what is pending; nothing is reported afterwards. */
  close(): void {
    this.state = 'closed';
    for (const id of this.timers) this.clock.clearTimer(id);
    this.timers.clear();
    this.pending = undefined;
  }

  private report(level: Level, time: number): void {
    const edge = this.options.edge;
    if (edge === 'rising' && level !== 1) return;
    if (edge === 'falling' && level !== 0) return;
    this.options.onEdge({ value: level, time });
  }

  private later(ms: number, fn: () => void): TimerId {
    const id: TimerId = this.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
    return id;
  }
}
