/**
 * Moving averages (ESPHome `sliding_window_moving_average` and
 * `exponential_moving_average`). The simple one keeps its window in a Ring and sums it
 * afresh on each push (windows are small; no drift from a running sum).
 */
import type { Filter } from './filter.js';
import { Ring } from './ring.js';

export class SimpleMovingAverage implements Filter {
  private readonly ring: Ring;

  constructor(size: number) {
    if (!(size >= 1)) throw new Error('moving average window must be >= 1, got ' + size);
    this.ring = new Ring(new Float64Array(size));
  }

  /** The mean of the values seen so far, up to the window size. NaN is dropped. */
  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    this.ring.push(value);
    const count = this.ring.count();
    let sum = 0;
    for (let i = 0; i < count; i++) sum += this.ring.at(i);
    return sum / count;
  }

  /** Forgets every value: the next one is the average on its own. */
  reset(): void {
    this.ring.clear();
  }
}

/** avg := avg + alpha * (value - avg); the first value seeds the average. */
export class ExponentialMovingAverage implements Filter {
  private readonly alpha: number;
  private avg = 0;
  private seeded = false;

  /** `alpha` in (0, 1]: the weight of each new value. */
  constructor(alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new Error('EMA alpha must be within (0, 1], got ' + alpha);
    this.alpha = alpha;
  }

  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    if (!this.seeded) {
      this.avg = value;
      this.seeded = true;
    } else {
      this.avg += this.alpha * (value - this.avg);
    }
    return this.avg;
  }

  /** The current average; NaN before the first value. */
  value(): number {
    return this.seeded ? this.avg : NaN;
  }

  /** Replaces the average (e.g. recalibration), as if `value` were the only sample so far. */
  set(value: number): void {
    this.avg = value;
    this.seeded = true;
  }
}
