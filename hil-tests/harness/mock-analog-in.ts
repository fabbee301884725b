/**
 * An analog input of the mock. The value comes from hal.setAnalog (a number or a function of
 * monotonic time, so a simulated sensor needs no ticking timer); the board clamps it to 0..1 the
 * way a converter saturates, and an input nobody set reads 0.
 */
import { halError } from '../../firmware/hal/errors.js';
import type { Clock } from '../../firmware/hal/clock.js';
import type { AnalogIn, AnalogInOptions } from '../../firmware/hal/pins.js';
import type { PinBoard, PinHolder } from './mock-pin-board.js';

export class MockAnalogIn implements AnalogIn, PinHolder {
  readonly kind = 'analogIn';
  private state: 'open' | 'closed' = 'open';
  private readonly pin: string;

  /** Options must already be validated; claims the pin or throws E_HAL_PIN_IN_USE. */
  constructor(private readonly board: PinBoard, private readonly clock: Clock, options: AnalogInOptions) {
    this.pin = options.pin;
    board.claim(this, [this.pin]);
  }

  read(): number {
    if (this.state === 'closed') {
      throw halError('E_HAL_CLOSED', this.pin, `read on analog input ${this.pin} after close()`);
    }
    return this.board.readAnalog(this.pin, this.clock.now());
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.board.release(this, [this.pin]);
  }
}
