/**
 * Re-emits the last value every `periodMs` (ESPHome `heartbeat`), so a quiet sensor still shows
 * it is alive and a lost message is repaired. push() passes the value straight through and
 * restarts the period: the output callback then sees the value again after each full period
 * without a new one, i.e. the value goes out at least once per period.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { FilterOutput, TimedFilter } from './filter.js';

export class Heartbeat implements TimedFilter {
  private readonly clock: Clock;
  private readonly periodMs: number;
  private readonly out: FilterOutput;
  private readonly tick: () => void;
  private timer: TimerId | undefined = undefined;
  private last = 0;

  constructor(clock: Clock, periodMs: number, out: FilterOutput) {
    if (!(periodMs > 0)) throw new Error('heartbeat needs a period > 0 ms, got ' + periodMs);
    this.clock = clock;
    this.periodMs = periodMs;
    this.out = out;
    this.tick = () => {
      this.out(this.last, this.clock.now());
    };
  }

  push(value: number, _time: number): number | undefined {
    this.last = value;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = this.clock.setInterval(this.tick, this.periodMs);
    return value;
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
