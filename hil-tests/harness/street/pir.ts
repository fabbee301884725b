/**
 * The PIR of one lamp: high while at least one passer-by is within range, and a further hold
 * time after the last one leaves, so a group makes one pulse. Intervals arrive when passers
 * enter the street (in the future, in any order: a car overtakes a pedestrian); they are merged
 * into a sorted list of pulses and one timer points at the next pin change.
 *
 * Pulses closer than MIN_GAP_MS are merged (the pin just stays high), and a pulse never starts
 * within MIN_GAP_MS of the previous fall, so a controller's debounce can never legitimately merge
 * two pulses the ground truth counts separately.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { MockHal } from '../mock-hal.js';
import type { VirtualClock } from '../virtual-clock.js';
import type { GroundTruth } from './ground-truth.js';
import type { TimerSet } from './timer-set.js';

export const PIR_RANGE_M = 6;
export const PIR_HOLD_MS = 2000;
export const MIN_GAP_MS = 250;

interface Pulse {
  start: number;
  end: number;
}

export interface PirEnv {
  clock: VirtualClock;
  hal: MockHal;
  timers: TimerSet;
  truth: GroundTruth;
}

export class PirSensor {
  /** Pending and current pulses, sorted, disjoint, at least MIN_GAP_MS apart. */
  private pulses: Pulse[] = [];
  private high = false;
  private lastFall = -Infinity;
  private timer: TimerId | undefined;
  private timerAt = NaN;

  constructor(private readonly env: PirEnv, readonly lampId: string, readonly pin: string, readonly x: number) {}

  /** Someone is within range from enterMs to exitMs. */
  see(enterMs: number, exitMs: number): void {
    const now = this.env.clock.now();
    const start = Math.max(enterMs, now, this.lastFall + MIN_GAP_MS);
    const end = Math.max(exitMs + PIR_HOLD_MS, start);
    const merged: Pulse[] = [];
    const fresh: Pulse = { start, end };
    for (const p of this.pulses) {
      if (p.end + MIN_GAP_MS < fresh.start || fresh.end + MIN_GAP_MS < p.start) {
        merged.push(p);
      } else {
        fresh.start = Math.min(fresh.start, p.start);
        fresh.end = Math.max(fresh.end, p.end);
      }
    }
    merged.push(fresh);
    merged.sort((a, b) => a.start - b.start);
    this.pulses = merged;
    this.schedule();
  }

  level(): 0 | 1 {
    return this.high ? 1 : 0;
  }

  private schedule(): void {
    const next = this.pulses[0];
    const at = next === undefined ? NaN : this.high ? next.end : next.start;
    if (at === this.timerAt) return;
    this.env.timers.clear(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (!isNaN(at)) this.timer = this.env.timers.at(at, () => this.change());
  }

  private change(): void {
    const now = this.env.clock.now();
    this.timer = undefined;
    this.timerAt = NaN;
    if (!this.high) {
      this.high = true;
      this.env.hal.setLevel(this.pin, 1);
      this.env.truth.recordMotion(this.lampId, now);
    } else {
      this.high = false;
      this.lastFall = now;
      this.pulses.shift();
      this.env.hal.setLevel(this.pin, 0);
    }
    this.schedule();
  }
}
