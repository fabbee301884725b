/**
 * The last N values in a typed array the caller supplies (Float64Array for precision, a
 * Float32Array to halve the memory), oldest overwritten first. Fixed size: nothing grows and
 * nothing is allocated per value, so every windowed filter can run on an Espruino node.
 */
export type RingStore = Float32Array | Float64Array;

export class Ring {
  private readonly store: RingStore;
  private next = 0;
  private filled = 0;

  /** `store.length` (>= 1) is the window size; its contents are ignored. */
  constructor(store: RingStore) {
    if (!(store.length >= 1)) throw new Error('ring needs room for >= 1 value, got ' + store.length);
    this.store = store;
  }

  push(value: number): void {
    this.store[this.next] = value;
    this.next = (this.next + 1) % this.store.length;
    if (this.filled < this.store.length) this.filled++;
  }

  /** How many values it holds: up to size(). */
  count(): number {
    return this.filled;
  }

  size(): number {
    return this.store.length;
  }

  /** The i-th value held, 0 the oldest, count() - 1 the newest; NaN outside that. */
  at(i: number): number {
    if (!(i >= 0 && i < this.filled)) return NaN;
    const n = this.store.length;
    return this.store[(this.next - this.filled + i + n) % n];
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}
