/**
 * One metric of one device over one window. Gauges keep sample statistics, counts a sum, levels
 * (held until the next reading) time-weighted statistics, states the time spent in each value.
 * Levels and states carry their value into the next window, so a quiet window still says what
 * the lamp's level or the space's occupancy was.
 */
import type { MetricSpec } from '../../firmware/devices/types.js';

export interface GaugeStats { kind: 'gauge' | 'level'; n: number; min: number; max: number; mean: number; last: number }
export interface CountStats { kind: 'count'; n: number; sum: number }
export interface StateStats { kind: 'state'; n: number; last: number; durations: Array<[number, number]> }
export type WindowStats = GaugeStats | CountStats | StateStats;

export class MetricWindow {
  private n = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private last = NaN;
  /** Held metrics: since when `last` has held, and the time-weighted sum and span so far. */
  private since = 0;
  private weighted = 0;
  private span = 0;
  private durations = new Map<number, number>();

  constructor(readonly spec: MetricSpec, start: number, carried?: number) {
    this.since = start;
    if (carried !== undefined) {
      this.last = carried;
      this.min = carried;
      this.max = carried;
    }
  }

  private held(): boolean {
    return this.spec.kind === 'level' || this.spec.kind === 'state';
  }

  add(value: number, time: number): void {
    if (this.held()) {
      if (Number.isNaN(this.last)) this.since = time; // unknown before the first value
      else this.accrue(time);
    }
    // A state's n counts changes, not repeats (heartbeats re-send the same value).
    if (this.spec.kind !== 'state' || value !== this.last) this.n++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.last = value;
  }

  /** The value carried into the next window, if this metric holds one. */
  carried(): number | undefined {
    return this.held() && !Number.isNaN(this.last) ? this.last : undefined;
  }

  /** Closes the window at `end`; undefined when nothing happened and nothing is to be said. */
  close(end: number): WindowStats | undefined {
    switch (this.spec.kind) {
      case 'gauge':
        if (this.n === 0) return undefined;
        return { kind: 'gauge', n: this.n, min: this.min, max: this.max, mean: this.sum / this.n, last: this.last };
      case 'count':
        if (this.n === 0) return undefined;
        return { kind: 'count', n: this.n, sum: this.sum };
      case 'level':
        if (Number.isNaN(this.last)) return undefined;
        this.accrue(end);
        return { kind: 'level', n: this.n, min: this.min, max: this.max, mean: this.span > 0 ? this.weighted / this.span : this.last, last: this.last };
      case 'state': {
        if (Number.isNaN(this.last)) return undefined;
        this.accrue(end);
        const durations = [...this.durations.entries()].sort((a, b) => a[0] - b[0]);
        return { kind: 'state', n: this.n, last: this.last, durations };
      }
    }
  }

  private accrue(until: number): void {
    const ms = Math.max(0, until - this.since);
    if (ms > 0) {
      this.weighted += this.last * ms;
      this.span += ms;
      this.durations.set(this.last, (this.durations.get(this.last) ?? 0) + ms);
    }
    this.since = until;
  }
}
