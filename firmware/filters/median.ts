/**
 * Median over the last N values (ESPHome `median`): removes single outliers such as a missed or
 * doubled ultrasonic echo. The window is a ring in a typed array; sorting uses a second one.
 */
import type { Filter } from './filter.js';

/**
 * Sorts the first `count` entries of `values` in place (insertion sort: windows are small) and
 * returns their median; the mean of the middle two for an even count. NaN for count 0.
 */
export function medianOf(values: Float64Array, count: number): number {
  if (count <= 0) return NaN;
  for (let i = 1; i < count; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
  const mid = count >> 1;
  if (count % 2 === 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2;
}

export class Median implements Filter {
  private readonly ring: Float64Array;
  private readonly scratch: Float64Array;
  private next = 0;
  private count = 0;

  /** `size` >= 1: the number of recent values the median is taken over. */
  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError('median window must be >= 1, got ' + size);
    this.ring = new Float64Array(size);
    this.scratch = new Float64Array(size);
  }

  /** Returns the median of the values seen so far, up to the window size. NaN is dropped. */
  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    this.ring[this.next] = value;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    for (let i = 0; i < this.count; i++) this.scratch[i] = this.ring[i];
    return medianOf(this.scratch, this.count);
  }

  reset(): void {
    this.next = 0;
    this.count = 0;
  }
}
