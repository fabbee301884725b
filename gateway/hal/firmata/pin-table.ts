/**
 * Firmata pin names and the board's pin table. A profile names a pin 'D3' or '3' (digital pin 3,
 * the number on the Arduino's silkscreen) or 'A0'..'A15' (an analog input; used as a digital pin
 * it is the pin the board maps that channel to, 14 for A0 on an Uno). The name is checked when a
 * resource opens; whether the pin exists and supports the mode asked for can only be checked
 * against the capabilities the firmware reports, once the board has been ready.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { FirmataIo } from './io.js';

export type FirmataPin =
  | { kind: 'digital'; number: number; name: string }
  | { kind: 'analog'; channel: number; name: string };

export function parsePin(name: string, what: string): FirmataPin {
  const digital = /^D?(\d{1,3})$/i.exec(name);
  if (digital) return { kind: 'digital', number: Number(digital[1]), name };
  const analog = /^A(\d{1,2})$/i.exec(name);
  if (analog) return { kind: 'analog', channel: Number(analog[1]), name };
  throw halError('E_HAL_OPTIONS', name, `${what} on pin '${name}': a Firmata pin is a number ('3' or 'D3') or an analog input ('A0'..'A15')`);
}

/**
 * One name per pin for the one-resource-per-pin rule. 'A0' and its digital number (14 on an Uno)
 * are different names here: which number a channel maps to is known only once the board is ready.
 */
export function claimKey(pin: FirmataPin): string {
  return pin.kind === 'digital' ? `D${pin.number}` : `A${pin.channel}`;
}

const MODE_NAMES: Record<number, string> = {
  0x00: 'INPUT', 0x01: 'OUTPUT', 0x02: 'ANALOG', 0x03: 'PWM', 0x04: 'SERVO', 0x05: 'SHIFT', 0x06: 'I2C',
  0x07: 'ONEWIRE', 0x08: 'STEPPER', 0x0a: 'SERIAL', 0x0b: 'PULLUP', 0x75: 'PING_READ',
};

export function modeName(mode: number): string {
  return MODE_NAMES[mode] ?? `0x${mode.toString(16)}`;
}

/** The capabilities of one connected board, as its firmware reported them. */
export class PinTable {
  /** Full scale of an analog reading and of a PWM write. */
  readonly adcMax: number;
  readonly pwmMax: number;

  constructor(private readonly io: FirmataIo, readonly port: string) {
    this.adcMax = positive(io.RESOLUTION?.ADC) ?? 1023;
    this.pwmMax = positive(io.RESOLUTION?.PWM) ?? 255;
  }

  /** The pin number a digital resource drives or reads. */
  digital(pin: FirmataPin, what: string): number {
    if (pin.kind === 'analog') return this.analogPin(pin, what);
    if (pin.number >= this.io.pins.length) {
      throw halError('E_HAL_OPTIONS', pin.name,
        `${what} on pin ${pin.name}: the board on ${this.port} has no pin ${pin.number} (its pins are 0..${this.io.pins.length - 1})`);
    }
    return pin.number;
  }

  /** The analog channel an analog input reads: 'A2' is channel 2; a pin number must be an analog pin. */
  analogChannel(pin: FirmataPin, what: string): number {
    if (pin.kind === 'analog') {
      this.analogPin(pin, what);
      return pin.channel;
    }
    const channel = this.io.analogPins.indexOf(pin.number);
    if (channel < 0) {
      throw halError('E_HAL_UNAVAILABLE', pin.name,
        `${what} on pin ${pin.name}: pin ${pin.number} of the board on ${this.port} is not an analog input (${this.analogList()})`);
    }
    return channel;
  }

  supports(pin: number, mode: number): boolean {
    return this.io.pins[pin]?.supportedModes.includes(mode) === true;
  }

  /** Throws E_HAL_UNAVAILABLE, with `hint` when given, if the firmware did not report `mode` for the pin. */
  require(pin: FirmataPin, number: number, mode: number, what: string, hint?: string): void {
    if (this.supports(number, mode)) return;
    const has = (this.io.pins[number]?.supportedModes ?? []).map(modeName);
    throw halError('E_HAL_UNAVAILABLE', pin.name,
      `${what} on pin ${pin.name}: the board on ${this.port} reports no ${modeName(mode)} mode for pin ${number} ` +
      `(it supports ${has.length > 0 ? has.join(', ') : 'nothing: it is reserved, e.g. for the serial port'})` +
      (hint ? `: ${hint}` : ''));
  }

  private analogPin(pin: FirmataPin & { kind: 'analog' }, what: string): number {
    const number = this.io.analogPins[pin.channel];
    if (number === undefined) {
      throw halError('E_HAL_OPTIONS', pin.name, `${what} on pin ${pin.name}: the board on ${this.port} has no analog input ${pin.name} (${this.analogList()})`);
    }
    return number;
  }

  private analogList(): string {
    const n = this.io.analogPins.length;
    return n === 0 ? 'it has no analog inputs' : `its analog inputs are A0..A${n - 1}`;
  }
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

