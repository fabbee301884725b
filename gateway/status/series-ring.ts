/**
 * The last few points of one device's metric, for a small plot on the status page. A fixed-size
 * ring (two Float64Arrays allocated once), so a gateway that runs for years holds the same few
 * kilobytes per series on its last day as on its first. Times are monotonic ms: they become wall
 * times only when read, so a point taken before NTP set the clock is shown at its corrected time.
 */
export class SeriesRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`a series needs a capacity of at least 1 point, got ${capacity}`);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** The newest value, undefined while empty. */
  last(): number | undefined {
    return this.count === 0 ? undefined : this.values[(this.start + this.count - 1) % this.capacity];
  }

  /** Adds a point, overwriting the oldest once full. */
  push(time: number, value: number): void {
    const at = (this.start + this.count) % this.capacity;
    this.times[at] = time;
    this.values[at] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first; `mapTime` converts each stored (monotonic) time. */
  read(mapTime: (t: number) => number): { times: number[]; values: number[] } {
    const times: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const at = (this.start + i) % this.capacity;
      times.push(mapTime(this.times[at]!));
      values.push(this.values[at]!);
    }
    return { times, values };
  }
}
