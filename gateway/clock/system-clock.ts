/**
 * The real Clock for a running gateway: monotonic time from performance.now(), which NTP steps
 * cannot move, and wall time from Date.now(). Wall time is trusted once it is past the build
 * date of this release, because a Raspberry Pi without an RTC boots in 1970 until NTP answers.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';

/** Wall times before this are a clock that has not been set (2026-01-01T00:00:00Z). */
export const EARLIEST_TRUSTED_WALL = Date.UTC(2026, 0, 1);

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
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms)));
    return id;
  }

  setInterval(fn: () => void, ms: number): TimerId {
    const id = this.nextId++;
    this.timers.set(id, setInterval(fn, ms));
    return id;
  }

  clearTimer(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle === undefined) return;
    clearTimeout(handle);
    this.timers.delete(id);
  }
}
