/**
 * The street's timers, tracked so stop() can clear every one of them. Each process of the
 * simulation keeps at most a handful of timers alive (its next change), never one per
 * millisecond, which is what lets a simulated day of ~60 devices run in a fraction of a second.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { VirtualClock } from '../virtual-clock.js';

export class TimerSet {
  private readonly live = new Set<TimerId>();

  constructor(private readonly clock: VirtualClock) {}

  /** Runs `fn` at monotonic time `timeMs` (or at the next runDue if that is already past). */
  at(timeMs: number, fn: () => void): TimerId {
    const id: TimerId = this.clock.setTimeout(() => {
      this.live.delete(id);
      fn();
    }, timeMs - this.clock.now());
    this.live.add(id);
    return id;
  }

  clear(id: TimerId | undefined): void {
    if (id === undefined) return;
    this.clock.clearTimer(id);
    this.live.delete(id);
  }

  clearAll(): void {
    for (const id of this.live) this.clock.clearTimer(id);
    this.live.clear();
  }

  size(): number {
    return this.live.size;
  }
}
