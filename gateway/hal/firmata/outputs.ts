/**
 * Digital and PWM outputs on a Firmata board. The value written is remembered: read() returns it,
 * a write while the board is away (or not yet ready) is applied when it is ready, and every
 * reconnect writes it again, because a board that reset (a USB replug resets an Arduino) comes
 * back with its outputs low. As on the mock, the pin keeps its last value after close().
 *
 * PWM: duty 0..1 is written as duty × the board's PWM full scale (255 on an Uno, from the
 * capability response). Firmata cannot set the carrier frequency: the board's own is used (about
 * 490 Hz, 980 Hz on pins 5 and 6 of an Uno) and the HAL says so once in the log.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { DigitalOut, DigitalOutOptions, Level, PwmOptions, PwmOut } from '../../../firmware/hal/pins.js';
import { checkDuty } from '../../../firmware/hal/validate.js';
import { MODE, type FirmataIo } from './io.js';
import { claimKey, parsePin, type FirmataPin, type PinTable } from './pin-table.js';
import { FirmataResource, type ResourceContext } from './resource.js';

export class FirmataDigitalOut extends FirmataResource implements DigitalOut {
  readonly kind = 'digitalOut';
  readonly claims: string[];
  private readonly pin: FirmataPin;
  private value: Level;
  private number = -1;

  /** Options must already be validated. */
  constructor(ctx: ResourceContext, options: DigitalOutOptions) {
    super(ctx, options.pin);
    this.pin = parsePin(options.pin, 'digital output');
    this.claims = [claimKey(this.pin)];
    this.value = options.initial;
  }

  check(table: PinTable): void {
    table.require(this.pin, table.digital(this.pin, 'digital output'), MODE.OUTPUT, 'digital output');
  }

  write(value: Level): void {
    this.assertOpen('write');
    if (value !== 0 && value !== 1) {
      throw halError('E_HAL_RANGE', this.pinName, `digital output ${this.pinName} takes 0 or 1, got ${String(value)}`);
    }
    this.value = value;
    this.apply();
  }

  read(): Level {
    this.assertOpen('read');
    return this.value;
  }

  protected start(io: FirmataIo, table: PinTable): void {
    this.number = table.digital(this.pin, 'digital output');
    this.ctx.call(`pinMode(${this.number})`, () => io.pinMode(this.number, MODE.OUTPUT));
    this.apply();
  }

  private apply(): void {
    const io = this.io;
    if (io === undefined) return;
    this.ctx.call(`digitalWrite(${this.number})`, () => io.digitalWrite(this.number, this.value));
  }
}

export class FirmataPwm extends FirmataResource implements PwmOut {
  readonly kind = 'pwm';
  readonly claims: string[];
  private readonly pin: FirmataPin;
  private duty: number;
  private number = -1;
  private fullScale = 255;

  /** Options must already be validated. */
  constructor(ctx: ResourceContext, options: PwmOptions) {
    super(ctx, options.pin);
    this.pin = parsePin(options.pin, 'PWM output');
    this.claims = [claimKey(this.pin)];
    this.duty = options.initial;
  }

  check(table: PinTable): void {
    table.require(this.pin, table.digital(this.pin, 'PWM output'), MODE.PWM, 'PWM output',
      'use a PWM pin (marked ~ on an Arduino: 3, 5, 6, 9, 10, 11 on an Uno)');
  }

  write(duty: number): void {
    this.assertOpen('write');
    checkDuty(this.pinName, duty);
    this.duty = duty;
    this.apply();
  }

  read(): number {
    this.assertOpen('read');
    return this.duty;
  }

  protected start(io: FirmataIo, table: PinTable): void {
    this.number = table.digital(this.pin, 'PWM output');
    this.fullScale = table.pwmMax;
    this.ctx.call(`pinMode(${this.number})`, () => io.pinMode(this.number, MODE.PWM));
    this.apply();
  }

  private apply(): void {
    const io = this.io;
    if (io === undefined) return;
    const value = Math.round(this.duty * this.fullScale);
    this.ctx.call(`analogWrite(${this.number})`, () => io.analogWrite(this.number, value));
  }
}
