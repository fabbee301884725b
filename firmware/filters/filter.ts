/**
 * The common shape of every filter, in the ESPHome tradition: a value goes in, a value (possibly
 * changed) comes out, or `undefined` when the filter drops it. Filters hold their window in typed
 * arrays and allocate nothing per sample, so a chain can run on an Espruino node.
 *
 * Timer-driven filters (heartbeat, delayed on/off) also take the Clock and an output callback:
 * values they produce later, on a timer, go to that callback. Put them last in a chain, or wire
 * their callback into the next filter's push().
 */
export interface Filter {
  /** `time` is monotonic ms (clock.now()) of the sample. Returns the output or undefined (dropped). */
  push(value: number, time: number): number | undefined;
}

/** A filter that owns a timer; stop() clears it. */
export interface TimedFilter extends Filter {
  stop(): void;
}

/** Receives values a timer-driven filter produces outside push(). */
export type FilterOutput = (value: number, time: number) => void;

/** Runs a value through `filters` in order; stops at the first that drops it. */
export class Chain implements Filter {
  private readonly filters: Filter[];

  constructor(filters: Filter[]) {
    this.filters = filters;
  }

  push(value: number, time: number): number | undefined {
    let v: number | undefined = value;
    for (const f of this.filters) {
      v = f.push(v, time);
      if (v === undefined) return undefined;
    }
    return v;
  }
}

export function chain(filters: Filter[]): Filter {
  return new Chain(filters);
}
