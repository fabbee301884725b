/**
 * The guest's setTimeout/setInterval on the virtual clock. Ids are small integers per boot, as
 * on Espruino; the guest keeps the callbacks, the host only the schedule, and fire(id) is the
 * way back. Intervals repeat from their due time (no drift), like Espruino's timer list.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { BootTimers } from './boot-timers.js';

/** Shortest interval the fake runs, in ms (setInterval(fn, 0) must still let time pass). */
export const MIN_INTERVAL_MS = 0.1;

export class GuestTimers {
  private nextId = 1;
  private readonly scheduled = new Map<number, TimerId>();

  constructor(private readonly timers: BootTimers, private readonly fire: (id: number) => void) {}

  set(ms: number, repeat: boolean): number {
    const id = this.nextId++;
    this.schedule(id, ms, repeat);
    return id;
  }

  clear(id: number): void {
    this.timers.cancel(this.scheduled.get(id));
    this.scheduled.delete(id);
  }

  /** changeInterval: the next call is `ms` from now, then every `ms`. */
  change(id: number, ms: number): void {
    if (!this.scheduled.has(id)) return;
    this.clear(id);
    this.schedule(id, ms, true);
  }

  size(): number {
    return this.scheduled.size;
  }

  reset(): void {
    for (const id of [...this.scheduled.keys()]) this.clear(id);
    this.nextId = 1;
  }

  private schedule(id: number, ms: number, repeat: boolean): void {
    const delay = ms > 0 ? ms : 0;
    const clockId = repeat
      ? this.timers.every(Math.max(delay, MIN_INTERVAL_MS), () => this.fire(id))
      : this.timers.after(delay, () => {
          this.scheduled.delete(id);
          this.fire(id);
        });
    this.scheduled.set(id, clockId);
  }
}
