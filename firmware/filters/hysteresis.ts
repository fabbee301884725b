/**
 * Two thresholds (a Schmitt trigger; ESPHome's analog threshold with `upper` and `lower`): the
 * output turns 1 once the value rises above `high` and 0 once it falls below `low`; in between
 * it keeps its last state, so a value hovering at one threshold does not make it chatter.
 * NaN is dropped.
 */
import type { Filter } from './filter.js';

export class Hysteresis implements Filter {
  private readonly low: number;
  private readonly high: number;
  private state: 0 | 1;

  /** `low` < `high`; `initial` is the output until the first value past a threshold. */
  constructor(low: number, high: number, initial: 0 | 1) {
    if (!(low < high)) throw new Error('hysteresis needs low < high, got ' + low + '/' + high);
    this.low = low;
    this.high = high;
    this.state = initial;
  }

  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    if (value > this.high) this.state = 1;
    else if (value < this.low) this.state = 0;
    return this.state;
  }

  /** The last output. */
  output(): 0 | 1 {
    return this.state;
  }

  reset(state: 0 | 1): void {
    this.state = state;
  }
}
