/**
 * A digital input with Espruino setWatch-style debounce, so controllers tested on the mock see
 * what they will see on a node:
 *
 * - After a raw level change the edge is reported only if the level then stays unchanged for
 *   `debounceMs`. The event's `time` is the moment of that (last) change, not the debounce
 *   expiry; the callback runs at change + debounceMs. Bounces shorter than debounceMs produce
 *   nothing, and a glitch that returns to the reported level produces nothing either.
 * - With debounceMs 0 every raw change is its own edge, delivered at the next runDue.
 * - `edge` filters which debounced edges reach the callback; the debounced level follows the
 *   pin regardless, so a suppressed falling edge still re-arms the next rising one.
 * - read() returns the raw pin level, as Espruino's digitalRead does (debounce only applies to
 *   the watch), and the gateway backends must match.
 * - Opening a watch reports nothing for the level the pin already has.
 */
import { halError } from '../../firmware/hal/errors.js';
import type { DigitalIn, DigitalInOptions, Level } from '../../firmware/hal/pins.js';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { PinBoard, PinHolder } from './mock-pin-board.js';

export class MockDigitalIn implements DigitalIn, PinHolder {
  readonly kind = 'digitalIn';
  private state: 'open' | 'closed' = 'open';
  /** The level the watch last settled on (reported or filtered out by `edge`). */
  private settled: Level;
  private readonly timers = new Set<TimerId>();
  private debounceTimer: TimerId | undefined;
  private readonly options: DigitalInOptions;

  /** Options must already be validated; claims the pin or throws E_HAL_PIN_IN_USE. */
  constructor(private readonly board: PinBoard, private readonly clock: Clock, options: DigitalInOptions) {
    this.options = { ...options };
    board.claim(this, [options.pin]);
    // A pulled-up input that nothing drives reads high, like the real pin.
    if (options.pull === 'up') board.pull(options.pin, 1);
    this.settled = board.level(options.pin);
  }

  read(): Level {
    this.assertOpen('read');
    return this.board.level(this.options.pin);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const id of this.timers) this.clock.clearTimer(id);
    this.timers.clear();
    this.debounceTimer = undefined;
    this.board.release(this, [this.options.pin]);
  }

  /** Called by the board for every raw level change on the pin. */
  levelChanged(level: Level): void {
    if (this.state === 'closed') return;
    const time = this.clock.now();
    if (this.options.debounceMs === 0) {
      this.settled = level;
      this.later(0, () => this.report(level, time));
      return;
    }
    // Any change restarts the stability window; returning to the settled level cancels it.
    if (this.debounceTimer !== undefined) {
      this.clock.clearTimer(this.debounceTimer);
      this.timers.delete(this.debounceTimer);
      this.debounceTimer = undefined;
    }
    if (level === this.settled) return;
    this.debounceTimer = this.later(this.options.debounceMs, () => {
      this.debounceTimer = undefined;
      this.settled = level;
      this.report(level, time);
    });
  }

  private report(level: Level, time: number): void {
    const edge = this.options.edge;
    if (edge === 'rising' && level !== 1) return;
    if (edge === 'falling' && level !== 0) return;
    this.options.onEdge({ value: level, time });
  }

  private later(ms: number, fn: () => void): TimerId {
    const id: TimerId = this.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  private assertOpen(what: string): void {
    if (this.state === 'closed') {
      throw halError('E_HAL_CLOSED', this.options.pin, `${what} on digital input ${this.options.pin} after close()`);
    }
  }
}
