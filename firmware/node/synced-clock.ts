/**
 * A node's clock: the board's monotonic time, plus wall time once the gateway has told it (a
 * node has no RTC, and the lamp's sun schedule needs the date and hour). Timers stay on
 * monotonic time, so setting the wall clock moves no hold timer and no fade.
 */
import type { Clock, TimerId } from '../hal/clock.js';

export class SyncedClock implements Clock {
  private offset = 0;
  private synced = false;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now();
  }

  wallTime(): number {
    return this.synced ? this.base.now() + this.offset : this.base.wallTime();
  }

  wallSynced(): boolean {
    return this.synced || this.base.wallSynced();
  }

  /** The gateway's wall time, as of now. */
  setWall(wallMs: number): void {
    this.offset = wallMs - this.base.now();
    this.synced = true;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.base.setTimeout(fn, ms);
  }

  setInterval(fn: () => void, ms: number): TimerId {
    return this.base.setInterval(fn, ms);
  }

  clearTimer(id: TimerId): void {
    this.base.clearTimer(id);
  }
}
