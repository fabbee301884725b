/**
 * At most one value per `periodMs` (ESPHome `throttle`): the first value passes, later ones are
 * dropped until the period since the last passed value has elapsed. Uses the sample time, so it
 * needs no timer.
 */
import type { Filter } from './filter.js';

export class Throttle implements Filter {
  private readonly periodMs: number;
  private lastTime = 0;
  private seen = false;

  constructor(periodMs: number) {
    if (!(periodMs >= 0)) throw new Error('throttle needs a period >= 0 ms, got ' + periodMs);
    this.periodMs = periodMs;
  }

  push(value: number, time: number): number | undefined {
    if (this.seen && time - this.lastTime < this.periodMs) return undefined;
    this.seen = true;
    this.lastTime = time;
    return value;
  }
}
