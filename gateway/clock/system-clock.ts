/**
 * The real Clock for a running gateway: monotonic time from performance.now(), which NTP steps
 * cannot move, and wall time from Date.now(). Wall time is trusted once it is past the start of
 * this release's year, because a Raspberry Pi without an RTC boots in 1970 until NTP answers.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';

/** Wall times before this are a clock that has not been set (2026-01-01T00:00:00Z). */
export const EARLIEST_TRUSTED_WALL = Date.UTC(2026, 0, 1);

/**
 * Node fires any setTimeout longer than 2^31-1 ms (24.8 days) after 1 ms. A profile may ask for
 * longer (a PIR silent for 30 days), so long waits are taken in steps no longer than this.
 */
export const MAX_NODE_TIMER_MS = 2 ** 31 - 1;

export class SystemClock implements Clock {
  private nextId = 1;
  private timers = new Map<TimerId, NodeJS.Timeout>();

  now(): number {
    return performance.now();
  }

  wallTime(): number {
    return Date.now();
  }

  wallSynced(): boolean {
    return Date.now() >= EARLIEST_TRUSTED_WALL;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.nextId++;
    this.arm(id, this.now() + Math.max(0, ms), fn);
    return id;
  }

  setInterval(fn: () => void, ms: number): TimerId {
    const id = this.nextId++;
    const period = Math.max(1, ms);
    let due = this.now() + period;
    const tick = (): void => {
      due += period;
      this.arm(id, due, tick);
      fn();
    };
    this.arm(id, due, tick);
    return id;
  }

  clearTimer(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle === undefined) return;
    clearTimeout(handle);
    this.timers.delete(id);
  }

  /** Schedules `fn` at monotonic time `due`, in steps Node can time. */
  private arm(id: TimerId, due: number, fn: () => void): void {
    const wait = Math.max(0, due - this.now());
    this.timers.set(id, setTimeout(() => {
      if (due - this.now() > 1) {
        this.arm(id, due, fn); // a step of a long wait, not the end of it
        return;
      }
      this.timers.delete(id);
      fn();
    }, Math.min(wait, MAX_NODE_TIMER_MS)));
  }
}
