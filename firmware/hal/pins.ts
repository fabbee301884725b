/**
 * The HAL resource interfaces, shaped after ECMA-419's IO classes: one options object per
 * resource, validated before any hardware is touched (see validate.ts); read/write/close; and
 * callbacks that are never invoked synchronously inside a method call.
 *
 * Pins are named by strings so one profile can be attached to any backend: Espruino pin names
 * ('D2', 'A0'), BCM GPIO numbers ('17'), Firmata pins ('3', 'A0') or mock names.
 */
import type { Clock } from './clock.js';

export type PinId = string;
export type Level = 0 | 1;
export type Edge = 'rising' | 'falling' | 'both';
export type Pull = 'up' | 'down' | 'none';

export interface EdgeEvent {
  /** The level after the edge. */
  value: Level;
  /** Monotonic ms of the edge itself (not of the debounce expiry). */
  time: number;
}

export interface DigitalInOptions {
  pin: PinId;
  edge: Edge;
  /** The level must be stable this long before an edge is reported; 0 disables debounce. */
  debounceMs: number;
  pull?: Pull;
  onEdge: (event: EdgeEvent) => void;
}

export interface DigitalIn {
  read(): Level;
  close(): void;
}

export interface DigitalOutOptions {
  pin: PinId;
  initial: Level;
}

export interface DigitalOut {
  write(value: Level): void;
  read(): Level;
  close(): void;
}

export interface PwmOptions {
  pin: PinId;
  /** PWM carrier frequency in Hz. */
  frequency: number;
  /** Initial duty cycle 0..1. */
  initial: number;
}

export interface PwmOut {
  /** Duty cycle 0..1; values outside are a programming error and throw E_HAL_RANGE. */
  write(duty: number): void;
  read(): number;
  close(): void;
}

export interface AnalogInOptions {
  pin: PinId;
}

export interface AnalogIn {
  /** 0..1 of the converter's full scale. */
  read(): number;
  close(): void;
}

export interface PulseInOptions {
  /** Pin pulsed high to start a measurement (HC-SR04 TRIG). */
  trigger: PinId;
  /** Pin whose high pulse width is measured (HC-SR04 ECHO). */
  echo: PinId;
  /** Trigger pulse width in microseconds (HC-SR04 wants >= 10). */
  triggerUs: number;
  /** Give up after this long without an echo. */
  timeoutMs: number;
}

export interface PulseIn {
  /**
   * Starts one measurement. `done` receives the echo width in microseconds, or -1 on timeout.
   * Calling again while a measurement is in flight throws E_HAL_BUSY.
   */
  measure(done: (echoUs: number) => void): void;
  close(): void;
}

export interface ByteStreamOptions {
  /** Port name: 'Serial1' on Espruino, a device path on the gateway. */
  port: string;
  baud: number;
  onData: (bytes: Uint8Array) => void;
}

export interface ByteStream {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** A backend: everything a controller may open, plus the clock it runs on. */
export interface Hal {
  readonly clock: Clock;
  digitalIn(options: DigitalInOptions): DigitalIn;
  digitalOut(options: DigitalOutOptions): DigitalOut;
  pwm(options: PwmOptions): PwmOut;
  analogIn(options: AnalogInOptions): AnalogIn;
  pulseIn(options: PulseInOptions): PulseIn;
  byteStream(options: ByteStreamOptions): ByteStream;
}
