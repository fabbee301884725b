/**
 * Delayed on/off (ESPHome `delayed_on_off`): the output follows the input only after the input
 * has held its new state for `onDelayMs` (to on) or `offDelayMs` (to off). A return to the
 * current output before then cancels the pending change, so a brief blip produces nothing.
 *
 * Input > 0 counts as on. Changes go to the output callback, from a clock timer, or from inside
 * push() when the delay is 0. push() itself always returns undefined.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { FilterOutput, TimedFilter } from './filter.js';

export class DelayedOnOff implements TimedFilter {
  private readonly clock: Clock;
  private readonly onDelayMs: number;
  private readonly offDelayMs: number;
  private readonly out: FilterOutput;
  private readonly fire: () => void;
  private current: 0 | 1;
  private target: 0 | 1;
  private timer: TimerId | undefined = undefined;

  constructor(clock: Clock, onDelayMs: number, offDelayMs: number, initial: 0 | 1, out: FilterOutput) {
    if (!(onDelayMs >= 0) || !(offDelayMs >= 0)) {
      throw new Error('delayed on/off needs delays >= 0 ms, got ' + onDelayMs + '/' + offDelayMs);
    }
    this.clock = clock;
    this.onDelayMs = onDelayMs;
    this.offDelayMs = offDelayMs;
    this.out = out;
    this.current = initial;
    this.target = initial;
    this.fire = () => {
      this.timer = undefined;
      this.current = this.target;
      this.out(this.current, this.clock.now());
    };
  }

  push(value: number, _time: number): number | undefined {
    const want: 0 | 1 = value > 0 ? 1 : 0;
    if (want === this.current) {
      this.cancel();
      this.target = want;
      return undefined;
    }
    if (this.timer !== undefined && want === this.target) return undefined;
    this.target = want;
    const delay = want === 1 ? this.onDelayMs : this.offDelayMs;
    if (delay <= 0) {
      this.fire();
    } else {
      this.timer = this.clock.setTimeout(this.fire, delay);
    }
    return undefined;
  }

  /** The confirmed output. */
  output(): 0 | 1 {
    return this.current;
  }

  /** True while a change is waiting out its delay. */
  pending(): boolean {
    return this.timer !== undefined;
  }

  /** Sets the output now, without a delay or an output call, and cancels any pending change. */
  reset(state: 0 | 1): void {
    this.cancel();
    this.current = state;
    this.target = state;
  }

  stop(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
