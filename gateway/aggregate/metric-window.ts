/**
 * One metric of one device over one window. Gauges keep sample statistics, counts a sum,
 * states the time spent in each value (time-weighted, so a state that began before the window
 * is counted from the window's start).
 */
import type { MetricSpec } from '../../firmware/devices/types.js';

export interface GaugeStats { kind: 'gauge'; n: number; min: number; max: number; mean: number; last: number }
export interface CountStats { kind: 'count'; n: number; sum: number }
export interface StateStats { kind: 'state'; n: number; last: number; durations: Array<[number, number]> }
export type WindowStats = GaugeStats | CountStats | StateStats;

export class MetricWindow {
  private n = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private last = NaN;
  private stateSince = 0;
  private durations = new Map<number, number>();

  constructor(readonly spec: MetricSpec, start: number, carriedState?: number) {
    this.stateSince = start;
    if (carriedState !== undefined) this.last = carriedState;
  }

  add(value: number, time: number): void {
    if (this.spec.kind === 'state') {
      if (Number.isNaN(this.last)) this.stateSince = time; // unknown before the first value
      else this.accrue(time);
    }
    this.n++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.last = value;
  }

  /** The current state value carried into the next window, if any. */
  carried(): number | undefined {
    return this.spec.kind === 'state' && !Number.isNaN(this.last) ? this.last : undefined;
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
      case 'state': {
        if (Number.isNaN(this.last)) return undefined;
        this.accrue(end);
        const durations = [...this.durations.entries()].sort((a, b) => a[0] - b[0]);
        return { kind: 'state', n: this.n, last: this.last, durations };
      }
    }
  }

  private accrue(until: number): void {
    const ms = Math.max(0, until - this.stateSince);
    if (ms > 0) this.durations.set(this.last, (this.durations.get(this.last) ?? 0) + ms);
    this.stateSince = until;
  }
}
