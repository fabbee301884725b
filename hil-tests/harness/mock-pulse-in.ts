/**
 * Ultrasonic pulse timing on the mock, shaped like an HC-SR04 on a real pin pair:
 *
 *   measure() ─ trigger high for triggerUs ─ echo high for the responder's width ─ done(width)
 *
 * The echo responder (hal.setEcho) is asked once, at trigger time, so a simulated bin answers
 * with the distance and temperature of that moment. The echo starts when the trigger pulse ends;
 * if it would not have ended within timeoutMs of the trigger (or the responder says -1, or no
 * responder is set) done(-1) runs at timeoutMs instead. Widths are fractional µs as the
 * responder gives them; the virtual clock handles fractional milliseconds.
 */
import { halError } from '../../firmware/hal/errors.js';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { PulseIn, PulseInOptions } from '../../firmware/hal/pins.js';
import type { PinBoard, PinHolder } from './mock-pin-board.js';

export class MockPulseIn implements PulseIn, PinHolder {
  readonly kind = 'pulseIn';
  private state: 'idle' | 'measuring' | 'closed' = 'idle';
  private readonly timers = new Set<TimerId>();
  private readonly options: PulseInOptions;

  /** Options must already be validated; claims both pins or throws E_HAL_PIN_IN_USE. */
  constructor(private readonly board: PinBoard, private readonly clock: Clock, options: PulseInOptions) {
    this.options = { ...options };
    board.claim(this, [options.trigger, options.echo]);
  }

  measure(done: (echoUs: number) => void): void {
    const { trigger, echo, triggerUs, timeoutMs } = this.options;
    if (this.state === 'closed') throw halError('E_HAL_CLOSED', echo, `measure on pulse timer ${echo} after close()`);
    if (this.state === 'measuring') {
      throw halError('E_HAL_BUSY', echo, `measure on pulse timer ${echo} while a measurement is in flight`);
    }
    if (typeof done !== 'function') throw halError('E_HAL_OPTIONS', echo, 'measure needs a done callback');
    // Ask the responder before changing state, so a throwing responder leaves the timer usable.
    const responder = this.board.echo(echo);
    const answer = responder === undefined ? -1 : responder(this.clock.now());
    const width = typeof answer === 'number' && isFinite(answer) && answer >= 0 ? answer : -1;
    this.state = 'measuring';
    const triggerMs = triggerUs / 1000;
    const echoEndMs = triggerMs + width / 1000;

    this.board.drive(trigger, 1);
    this.later(triggerMs, () => this.board.drive(trigger, 0));
    if (width < 0 || echoEndMs > timeoutMs) {
      this.later(timeoutMs, () => this.finish(done, -1));
      return;
    }
    this.later(triggerMs, () => this.board.drive(echo, 1));
    this.later(echoEndMs, () => {
      this.board.drive(echo, 0);
      this.finish(done, width);
    });
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const id of this.timers) this.clock.clearTimer(id);
    this.timers.clear();
    this.board.drive(this.options.trigger, 0);
    this.board.drive(this.options.echo, 0);
    this.board.release(this, [this.options.trigger, this.options.echo]);
  }

  private finish(done: (echoUs: number) => void, width: number): void {
    // A timeout shorter than the trigger pulse would leave timers behind; end them all here.
    for (const id of this.timers) this.clock.clearTimer(id);
    this.timers.clear();
    this.board.drive(this.options.trigger, 0);
    this.board.drive(this.options.echo, 0);
    this.state = 'idle';
    done(width);
  }

  private later(ms: number, fn: () => void): void {
    const id: TimerId = this.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
  }
}
