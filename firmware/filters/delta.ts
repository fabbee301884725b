/**
 * Passes a value only when it differs from the last passed value by at least `minChange`
 * (ESPHome `delta`), so a steady sensor stays quiet. The first value always passes.
 */
import type { Filter } from './filter.js';

export class Delta implements Filter {
  private readonly minChange: number;
  private last = 0;
  private seen = false;

  constructor(minChange: number) {
    if (!(minChange >= 0)) throw new Error('delta needs a change >= 0, got ' + minChange);
    this.minChange = minChange;
  }

  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    if (this.seen && Math.abs(value - this.last) < this.minChange) return undefined;
    this.seen = true;
    this.last = value;
    return value;
  }

  reset(): void {
    this.seen = false;
  }
}
