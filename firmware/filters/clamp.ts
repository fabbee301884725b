/**
 * Keeps values within [min, max] (ESPHome `clamp`): either drops a value outside the range (a
 * sensor reading that cannot be real) or saturates it to the nearest bound (a percentage).
 * NaN is always dropped.
 */
import type { Filter } from './filter.js';

export type ClampMode = 'drop' | 'saturate';

export class Clamp implements Filter {
  private readonly min: number;
  private readonly max: number;
  private readonly mode: ClampMode;

  constructor(min: number, max: number, mode: ClampMode) {
    if (!(min <= max)) throw new Error('clamp needs min <= max, got ' + min + '..' + max);
    this.min = min;
    this.max = max;
    this.mode = mode;
  }

  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    if (value >= this.min && value <= this.max) return value;
    if (this.mode === 'drop') return undefined;
    return value < this.min ? this.min : this.max;
  }
}
