/**
 * A Clock whose time moves only when a test (or the demo's pacer) says so. Timers fire in due
 * order, ties in the order they were set, and timers set by a callback inside the advanced span
 * run in the same advance(). Wall time is monotonic time plus an offset that tests can jump to
 * model NTP corrections or a Pi booting in 1970.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';

interface Timer {
  id: TimerId;
  due: number;
  order: number;
  fn: () => void;
  everyMs: number; // 0 for one-shot
}

export interface VirtualClockOptions {
  /** Wall time at monotonic 0, ms since the Unix epoch. Default 2026-06-21T00:00:00Z. */
  startWall?: number;
  synced?: boolean;
}

export const DEFAULT_START_WALL = Date.UTC(2026, 5, 21, 0, 0, 0);

export class VirtualClock implements Clock {
  private mono = 0;
  private wallOffset: number;
  private synced: boolean;
  private nextId = 1;
  private order = 0;
  private heap: Timer[] = [];
  private live = new Map<TimerId, Timer>();

  constructor(options: VirtualClockOptions = {}) {
    this.wallOffset = options.startWall ?? DEFAULT_START_WALL;
    this.synced = options.synced ?? true;
  }

  now(): number {
    return this.mono;
  }

  wallTime(): number {
    return this.mono + this.wallOffset;
  }

  wallSynced(): boolean {
    return this.synced;
  }

  /** Sets the wall clock to `epochMs` now, as NTP or an operator would. */
  setWall(epochMs: number, synced = true): void {
    this.wallOffset = epochMs - this.mono;
    this.synced = synced;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.add(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): TimerId {
    if (!(ms > 0)) throw new RangeError(`setInterval needs a period > 0 ms, got ${ms}`);
    return this.add(fn, ms, ms);
  }

  clearTimer(id: TimerId): void {
    this.live.delete(id);
  }

  /** Timers still scheduled. */
  pending(): number {
    return this.live.size;
  }

  /** Monotonic time of the next live timer, or undefined when none is set. */
  nextDue(): number | undefined {
    this.dropDead();
    return this.heap.length > 0 ? this.heap[0]!.due : undefined;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs ms >= 0, got ${ms}`);
    this.advanceTo(this.mono + ms);
  }

  advanceTo(target: number): void {
    if (target < this.mono) throw new RangeError(`advanceTo ${target} is before now (${this.mono})`);
    for (;;) {
      this.dropDead();
      const next = this.heap[0];
      if (next === undefined || next.due > target) break;
      this.pop();
      this.mono = next.due;
      if (next.everyMs > 0) {
        next.due += next.everyMs;
        next.order = this.order++;
        this.push(next);
      } else {
        this.live.delete(next.id);
      }
      next.fn();
    }
    this.mono = target;
  }

  /** Runs timers due now (including zero-delay ones), without moving time. */
  runDue(): void {
    this.advanceTo(this.mono);
  }

  private add(fn: () => void, ms: number, everyMs: number): TimerId {
    if (typeof fn !== 'function') throw new TypeError('timer callback must be a function');
    const delay = ms > 0 ? ms : 0;
    const timer: Timer = { id: this.nextId++, due: this.mono + delay, order: this.order++, fn, everyMs };
    this.live.set(timer.id, timer);
    this.push(timer);
    return timer.id;
  }

  private dropDead(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0]!.id) !== this.heap[0]) this.pop();
  }

  private before(a: Timer, b: Timer): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
