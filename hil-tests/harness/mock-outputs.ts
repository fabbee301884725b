/**
 * Digital and PWM outputs of the mock. They only record: the level or duty lives on the board
 * (where tests read it with hal.level / hal.duty / hal.pwmWrites) and stays there after close(),
 * as a real pin keeps its last state when the driver lets go of it.
 */
import { halError } from '../../firmware/hal/errors.js';
import type { Clock } from '../../firmware/hal/clock.js';
import type { DigitalOut, DigitalOutOptions, Level, PwmOptions, PwmOut } from '../../firmware/hal/pins.js';
import { checkDuty } from '../../firmware/hal/validate.js';
import type { PinBoard, PinHolder } from './mock-pin-board.js';

function closedError(what: string, pin: string): Error {
  return halError('E_HAL_CLOSED', pin, `${what} on pin ${pin} after close()`);
}

export class MockDigitalOut implements DigitalOut, PinHolder {
  readonly kind = 'digitalOut';
  private state: 'open' | 'closed' = 'open';
  private readonly pin: string;

  /** Options must already be validated; claims the pin or throws E_HAL_PIN_IN_USE. */
  constructor(private readonly board: PinBoard, options: DigitalOutOptions) {
    this.pin = options.pin;
    board.claim(this, [this.pin]);
    board.drive(this.pin, options.initial);
  }

  write(value: Level): void {
    if (this.state === 'closed') throw closedError('write', this.pin);
    if (value !== 0 && value !== 1) {
      throw halError('E_HAL_RANGE', this.pin, `digital output ${this.pin} takes 0 or 1, got ${String(value)}`);
    }
    this.board.drive(this.pin, value);
  }

  read(): Level {
    if (this.state === 'closed') throw closedError('read', this.pin);
    return this.board.level(this.pin);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.board.release(this, [this.pin]);
  }
}

export class MockPwm implements PwmOut, PinHolder {
  readonly kind = 'pwm';
  private state: 'open' | 'closed' = 'open';
  private readonly pin: string;

  /**
   * Options must already be validated. The initial duty counts as the first write, so
   * pwmWrites() shows the level the lamp came up at.
   */
  constructor(private readonly board: PinBoard, private readonly clock: Clock, options: PwmOptions) {
    this.pin = options.pin;
    board.claim(this, [this.pin]);
    board.recordDuty(this.pin, clock.now(), options.initial);
  }

  write(duty: number): void {
    if (this.state === 'closed') throw closedError('write', this.pin);
    checkDuty(this.pin, duty);
    this.board.recordDuty(this.pin, this.clock.now(), duty);
  }

  read(): number {
    if (this.state === 'closed') throw closedError('read', this.pin);
    return this.board.duty(this.pin);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.board.release(this, [this.pin]);
  }
}
