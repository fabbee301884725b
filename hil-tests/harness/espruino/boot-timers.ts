/**
 * The clock timers one boot of a fake node owns: everything the fake schedules for a node (its
 * JavaScript timers, debounce windows, pulse ends, serial chunks) goes through here, so tearing
 * a boot down is one cancelAll() and nothing of a dead boot can fire into the next one.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { VirtualClock } from '../virtual-clock.js';

export class BootTimers {
  private readonly live = new Set<TimerId>();

  constructor(readonly clock: VirtualClock) {}

  /** Runs `fn` once, `ms` from now (0 runs at the next runDue, never synchronously). */
  after(ms: number, fn: () => void): TimerId {
    const id: TimerId = this.clock.setTimeout(() => {
      this.live.delete(id);
      fn();
    }, ms);
    this.live.add(id);
    return id;
  }

  /** Runs `fn` every `ms` (> 0) until cancelled. */
  every(ms: number, fn: () => void): TimerId {
    const id = this.clock.setInterval(fn, ms);
    this.live.add(id);
    return id;
  }

  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    this.clock.clearTimer(id);
    this.live.delete(id);
  }

  cancelAll(): void {
    for (const id of this.live) this.clock.clearTimer(id);
    this.live.clear();
  }

  size(): number {
    return this.live.size;
  }
}
