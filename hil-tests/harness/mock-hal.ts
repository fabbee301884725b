/**
 * The mock HAL backend: every resource a controller may open, on a VirtualClock, plus the test
 * controls that play the outside world (drive an input, set an analog value, answer an echo,
 * talk on a serial port). It must pass the same contract suite as the onoff, johnny-five and
 * Espruino backends, so it is strict where they are: options are validated before anything is
 * touched, one open resource per pin, nothing works after close(), and callbacks only ever run
 * from a clock timer. The behaviour of each resource is documented in its own file.
 */
import { halError } from '../../firmware/hal/errors.js';
import type {
  AnalogIn, AnalogInOptions, ByteStream, ByteStreamOptions, DigitalIn, DigitalInOptions, DigitalOut,
  DigitalOutOptions, Hal, Level, PinId, PulseIn, PulseInOptions, PwmOptions, PwmOut,
} from '../../firmware/hal/pins.js';
import {
  checkAnalogIn, checkByteStream, checkDigitalIn, checkDigitalOut, checkPulseIn, checkPwm,
} from '../../firmware/hal/validate.js';
import { MockAnalogIn } from './mock-analog-in.js';
import { MockDigitalIn } from './mock-digital-in.js';
import { MockDigitalOut, MockPwm } from './mock-outputs.js';
import { PinBoard } from './mock-pin-board.js';
import type { AnalogSource, EchoResponder, PwmWrite } from './mock-pin-board.js';
import { MockPulseIn } from './mock-pulse-in.js';
import { MockByteStream, MockSerialPeer } from './mock-serial.js';
import type { VirtualClock } from './virtual-clock.js';

export type { AnalogSource, EchoResponder, PwmWrite } from './mock-pin-board.js';
export { MockSerialPeer } from './mock-serial.js';

export class MockHal implements Hal {
  private readonly board = new PinBoard();
  private readonly ports = new Map<string, MockSerialPeer>();

  constructor(readonly clock: VirtualClock) {}

  digitalIn(options: DigitalInOptions): DigitalIn {
    checkDigitalIn(options);
    return new MockDigitalIn(this.board, this.clock, options);
  }

  digitalOut(options: DigitalOutOptions): DigitalOut {
    checkDigitalOut(options);
    return new MockDigitalOut(this.board, options);
  }

  pwm(options: PwmOptions): PwmOut {
    checkPwm(options);
    return new MockPwm(this.board, this.clock, options);
  }

  analogIn(options: AnalogInOptions): AnalogIn {
    checkAnalogIn(options);
    return new MockAnalogIn(this.board, this.clock, options);
  }

  pulseIn(options: PulseInOptions): PulseIn {
    checkPulseIn(options);
    return new MockPulseIn(this.board, this.clock, options);
  }

  byteStream(options: ByteStreamOptions): ByteStream {
    checkByteStream(options);
    return new MockByteStream(this.serial(options.port), this.clock, options);
  }

  // ---- test controls: the world outside the pins ----

  /**
   * Drives a digital input (or a free pin). Refused for pins an output, PWM, analog or pulse
   * resource holds: two drivers on one wire is a test bug, not a signal.
   */
  setLevel(pin: PinId, level: Level): void {
    if (level !== 0 && level !== 1) {
      throw halError('E_HAL_RANGE', pin, `setLevel(${pin}) takes 0 or 1, got ${String(level)}`);
    }
    const holder = this.board.holder(pin);
    if (holder !== undefined && holder.kind !== 'digitalIn') {
      throw halError('E_HAL_PIN_IN_USE', pin, `setLevel(${pin}): the pin is held by an open ${holder.kind}`);
    }
    this.board.drive(pin, level);
  }

  /** The current level of any digital pin: a driven input, an output, a trigger or echo pin. */
  level(pin: PinId): Level {
    return this.board.level(pin);
  }

  /** The last duty written to a PWM pin (it stays after close); 0 if none ever was. */
  duty(pin: PinId): number {
    return this.board.duty(pin);
  }

  /** Every duty written to the pin with its monotonic time, the initial one first (last 10,000). */
  pwmWrites(pin: PinId): PwmWrite[] {
    return this.board.pwmWrites(pin);
  }

  /** What analogIn.read() returns from now on: a raw value or a function of monotonic ms. */
  setAnalog(pin: PinId, value: AnalogSource): void {
    if (typeof value !== 'function' && !(typeof value === 'number' && isFinite(value))) {
      throw halError('E_HAL_RANGE', pin, `setAnalog(${pin}) takes a finite number or a function`);
    }
    this.board.setAnalog(pin, value);
  }

  /** How the echo pin answers a trigger: width in µs, or -1 for no echo. */
  setEcho(echoPin: PinId, responder: EchoResponder): void {
    if (typeof responder !== 'function') {
      throw halError('E_HAL_OPTIONS', echoPin, `setEcho(${echoPin}) takes a function`);
    }
    this.board.setEcho(echoPin, responder);
  }

  /** The responder set with setEcho for `echoPin`, if any (the fake Espruino answers pings with it). */
  echoResponder(echoPin: PinId): EchoResponder | undefined {
    return this.board.echo(echoPin);
  }

  /** True while an open resource holds the pin (or, for a port name, while its stream is open). */
  isOpen(pin: PinId): boolean {
    return this.board.holder(pin) !== undefined || (this.ports.get(pin)?.isOpen() ?? false);
  }

  /** The far end of a serial port; the same peer before, during and after the stream is open. */
  serial(port: string): MockSerialPeer {
    let peer = this.ports.get(port);
    if (peer === undefined) {
      peer = new MockSerialPeer(this.clock, port);
      this.ports.set(port, peer);
    }
    return peer;
  }
}
