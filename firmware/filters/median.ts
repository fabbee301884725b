/**
 * Median over the last N values (ESPHome `median`): removes single outliers such as a missed or
 * doubled ultrasonic echo. The window is a Ring; sorting uses a second typed array.
 */
import type { Filter } from './filter.js';
import { Ring } from './ring.js';

export class Median implements Filter {
  private readonly ring: Ring;
  private readonly scratch: Float64Array;

  /** `size` >= 1: the number of recent values the median is taken over. */
  constructor(size: number) {
    if (!(size >= 1)) throw new Error('median window must be >= 1, got ' + size);
    this.ring = new Ring(new Float64Array(size));
    this.scratch = new Float64Array(size);
  }

  /**
   * Returns the median of the values seen so far, up to the window size; the mean of the middle
   * two for an even count. NaN is dropped.
   */
  push(value: number, _time: number): number | undefined {
    if (value !== value) return undefined;
    this.ring.push(value);
    const count = this.ring.count();
    const s = this.scratch;
    // Insertion sort into the scratch array: windows are small.
    for (let i = 0; i < count; i++) {
      const v = this.ring.at(i);
      let j = i - 1;
      while (j >= 0 && s[j] > v) {
        s[j + 1] = s[j];
        j--;
      }
      s[j + 1] = v;
    }
    const mid = count >> 1;
    if (count % 2 === 1) return s[mid];
    return (s[mid - 1] + s[mid]) / 2;
  }

  /** Forgets every value, e.g. at the start of a new burst. */
  reset(): void {
    this.ring.clear();
  }
}
