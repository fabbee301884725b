/**
 * setWatch on the host side, following Espruino's jsinteractive.c:
 *
 * - Every raw edge of the pin reaches every watch on it (several watches per pin are fine).
 * - debounce: a change is reported only once the level has stayed put for `debounceMs`; the
 *   event's time is the time of that (last) change, not the debounce expiry. A glitch that
 *   returns to the settled level reports nothing. Without debounce each change is an event.
 * - lastTime is the time of the previous settled change, whichever edge it was: a 'falling'
 *   watch gets the rising edge's time, so time - lastTime is the high pulse width.
 *   The first event has lastTime undefined.
 * - repeat false: the watch removes itself after its first reported event.
 * Times stay monotonic milliseconds here; the caller converts them to getTime() seconds.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { Edge, Level, PinId } from '../../../firmware/hal/pins.js';
import type { BootTimers } from './boot-timers.js';

export interface WatchSpec {
  pin: PinId;
  edge: Edge;
  debounceMs: number;
  repeat: boolean;
}

export interface WatchEvent {
  id: number;
  pin: PinId;
  level: Level;
  timeMs: number;
  lastTimeMs: number | undefined;
  /** True when the watch is gone after this event (repeat: false). */
  last: boolean;
}

interface Watch extends WatchSpec {
  id: number;
  settled: Level;
  lastTimeMs: number | undefined;
  pending: TimerId | undefined;
}

export class WatchTable {
  private nextId = 1;
  private readonly watches = new Map<number, Watch>();

  constructor(private readonly timers: BootTimers, private readonly fire: (event: WatchEvent) => void) {}

  /** Adds a watch on a pin currently at `level`; that level is not reported. */
  add(spec: WatchSpec, level: Level): number {
    const id = this.nextId++;
    this.watches.set(id, { ...spec, id, settled: level, lastTimeMs: undefined, pending: undefined });
    return id;
  }

  has(id: number): boolean {
    return this.watches.has(id);
  }

  clear(id: number): void {
    const w = this.watches.get(id);
    if (w === undefined) return;
    this.timers.cancel(w.pending);
    this.watches.delete(id);
  }

  clearAll(): void {
    for (const id of [...this.watches.keys()]) this.clear(id);
  }

  /** Forgets every watch and restarts ids at 1, for a new boot. */
  reset(): void {
    this.clearAll();
    this.nextId = 1;
  }

  /** Pins with at least one watch. */
  pins(): Set<PinId> {
    const pins = new Set<PinId>();
    for (const w of this.watches.values()) pins.add(w.pin);
    return pins;
  }

  /** A raw level change on `pin` at monotonic `timeMs` (called from a clock timer). */
  edge(pin: PinId, level: Level, timeMs: number): void {
    for (const w of [...this.watches.values()]) {
      if (w.pin === pin && this.watches.get(w.id) === w) this.step(w, level, timeMs);
    }
  }

  private step(w: Watch, level: Level, timeMs: number): void {
    if (w.debounceMs <= 0) {
      if (level !== w.settled) this.settle(w, level, timeMs);
      return;
    }
    this.timers.cancel(w.pending);
    w.pending = undefined;
    if (level === w.settled) return;
    const wait = timeMs + w.debounceMs - this.timers.clock.now();
    w.pending = this.timers.after(Math.max(0, wait), () => {
      w.pending = undefined;
      this.settle(w, level, timeMs);
    });
  }

  private settle(w: Watch, level: Level, timeMs: number): void {
    w.settled = level;
    const lastTimeMs = w.lastTimeMs;
    w.lastTimeMs = timeMs;
    const wanted = w.edge === 'both' || (w.edge === 'rising') === (level === 1);
    if (!wanted) return;
    if (!w.repeat) this.clear(w.id);
    this.fire({ id: w.id, pin: w.pin, level, timeMs, lastTimeMs, last: !w.repeat });
  }
}
