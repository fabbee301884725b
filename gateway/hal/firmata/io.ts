/**
 * The part of a johnny-five IO plugin the Firmata backend uses. firmata.js's `Firmata` (over a
 * serial port, see open-serial.ts) provides it, and so does mock-firmata in the tests. The
 * backend never reaches past this shape, so any IO plugin speaking the same calls would do.
 *
 * Conventions (firmata.js and johnny-five): pins are numbers into `pins`; analog inputs are named
 * by channel (A0 is channel 0: `analogRead(0, ...)`, `pinMode(0, ANALOG)`) and `analogPins[ch]`
 * is the channel's pin number; a read callback is registered on the event `digital-read-<pin>`
 * or `analog-read-<channel>` and called with every report the board sends.
 */
import type { EventEmitter } from 'node:events';

/** Firmata protocol pin modes (io.MODES may lack the newer ones: mock-firmata has no PULLUP). */
export const MODE = {
  INPUT: 0x00,
  OUTPUT: 0x01,
  ANALOG: 0x02,
  PWM: 0x03,
  PULLUP: 0x0b,
  PING_READ: 0x75,
} as const;

export type ModeName = keyof typeof MODE;

export interface FirmataPinInfo {
  /** The modes the firmware reported for the pin in its capability response. */
  supportedModes: number[];
  analogChannel?: number;
}

export interface PingReadOptions {
  pin: number;
  /** The level of the pulse sent and of the echo timed (1: high). */
  value: number;
  /** Trigger pulse width in µs. */
  pulseOut: number;
  /** Give up after this many µs; PingFirmata then answers 0. */
  timeout: number;
}

export interface FirmataIo extends EventEmitter {
  readonly pins: FirmataPinInfo[];
  readonly analogPins: number[];
  readonly isReady?: boolean;
  /** Converter and PWM full scale from the capability response (firmata.js); null when unknown. */
  readonly RESOLUTION?: { ADC?: number | null; PWM?: number | null };
  /** The serial port under firmata.js, closed when the backend gives the board up. */
  readonly transport?: { close?: (callback?: (err?: Error | null) => void) => void } | null;
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: number): void;
  analogWrite(pin: number, value: number): void;
  digitalRead(pin: number, callback: (value: number) => void): void;
  analogRead(channel: number, callback: (value: number) => void): void;
  /** Switches a channel's analog reports on (1) or off (0); analogRead switches them on. */
  reportAnalogPin?(channel: number, value: 0 | 1): void;
  /** PingFirmata's PING_READ: pulse the pin, then time the echo on the same pin. */
  pingRead?(options: PingReadOptions, callback: (echoUs: number) => void): void;
}

/** Opens the board on `port`: a new io each call (an io never becomes ready twice). */
export type OpenIo = (port: string) => FirmataIo;
