/**
 * The HAL on a Raspberry Pi's own GPIO pins, through onoff (sysfs GPIO with epoll interrupts):
 * digital inputs with Kerb debounce on the injected clock, and digital outputs. PWM, analog
 * input, pulse timing and serial ports are not possible here and say where to get them.
 *
 * Pins are BCM numbers as strings ('17'). Every exported GPIO is released on close(), on the
 * HAL's close() (the gateway closes its backends when it stops), and at process exit or on a
 * signal (exit-release.ts); one left behind by a hard crash is cleaned up at the next open
 * (exported-line.ts). Nothing touches the hardware before the first open.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { Clock } from '../../../firmware/hal/clock.js';
import type {
  AnalogIn, AnalogInOptions, ByteStream, ByteStreamOptions, DigitalIn, DigitalInOptions, DigitalOut,
  DigitalOutOptions, Hal, PinId, PulseIn, PulseInOptions, PwmOptions, PwmOut,
} from '../../../firmware/hal/pins.js';
import {
  checkAnalogIn, checkByteStream, checkDigitalIn, checkDigitalOut, checkPulseIn, checkPwm,
} from '../../../firmware/hal/validate.js';
import { Logger } from '../../log/logger.js';
import { bcmNumber } from './bcm-pin.js';
import { processExitRelease, type ExitRelease } from './exit-release.js';
import { ExportedLine, type LineContext } from './exported-line.js';
import type { Direction, GpioClass, GpioEdge, SysfsGpio } from './gpio-api.js';
import { resolveLineContext } from './line-context.js';
import { noAnalog, noByteStream, noPull, noPulseIn, noPwm } from './not-on-onoff.js';
import { OnoffDigitalIn } from './onoff-digital-in.js';
import { OnoffDigitalOut } from './onoff-digital-out.js';

export interface OnoffHalOptions {
  clock: Clock;
  /** onoff's Gpio class, or a fake with its API in tests; default: require('onoff').Gpio at the first open. */
  Gpio?: GpioClass;
  /**
   * The sysfs GPIO number of BCM GPIO 0: 571 on a Raspberry Pi 5 and 512 on a Pi 4 with Linux
   * 6.6 or later, 0 before. Default: detected from /sys/class/gpio/gpiochip*\/{base,label}.
   */
  gpioBase?: number;
  /** /sys/class/gpio access; default the real one, or none when `Gpio` is given without it. */
  sysfs?: SysfsGpio;
  /** Where leftover exports, the offset in use and watch errors are logged. */
  log?: Logger;
  /** Unexports at process exit and on signals; default: the process-wide registry. */
  exitRelease?: ExitRelease;
}

interface Held {
  close(): void;
}

export class OnoffHal implements Hal {
  readonly clock: Clock;
  private state: 'open' | 'closed' = 'open';
  private readonly held = new Map<number, Held>();
  private readonly log: Logger;
  private context: LineContext | undefined;

  constructor(private readonly o: OnoffHalOptions) {
    this.clock = o.clock;
    this.log = o.log ?? new Logger();
  }

  digitalIn(options: DigitalInOptions): DigitalIn {
    checkDigitalIn(options);
    const bcm = bcmNumber(options.pin, 'digital input');
    if (options.pull === 'up' || options.pull === 'down') throw noPull(options.pin, options.pull);
    return this.open(options.pin, bcm, 'digital input', 'in', 'both',
      (line) => new OnoffDigitalIn(line, this.clock, options, this.log, () => this.held.delete(bcm)));
  }

  digitalOut(options: DigitalOutOptions): DigitalOut {
    checkDigitalOut(options);
    const bcm = bcmNumber(options.pin, 'digital output');
    return this.open(options.pin, bcm, 'digital output', options.initial === 1 ? 'high' : 'low', undefined,
      (line) => new OnoffDigitalOut(line, () => this.held.delete(bcm)));
  }

  pwm(options: PwmOptions): PwmOut {
    checkPwm(options);
    throw noPwm(options.pin);
  }

  analogIn(options: AnalogInOptions): AnalogIn {
    checkAnalogIn(options);
    throw noAnalog(options.pin);
  }

  pulseIn(options: PulseInOptions): PulseIn {
    checkPulseIn(options);
    throw noPulseIn(options.trigger, options.echo);
  }

  byteStream(options: ByteStreamOptions): ByteStream {
    checkByteStream(options);
    throw noByteStream(options.port);
  }

  /** BCM numbers of the pins open now. */
  openPins(): PinId[] {
    return [...this.held.keys()].sort((a, b) => a - b).map(String);
  }

  /** Closes every open resource (unexporting its GPIO); opening anything afterwards fails. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const errors: unknown[] = [];
    for (const r of [...this.held.values()]) {
      try {
        r.close();
      } catch (err) {
        errors.push(err);
      }
    }
    this.held.clear();
    if (errors.length > 0) throw errors[0];
  }

  /** Exports the GPIO and builds the resource on it; a failed build releases the GPIO again. */
  private open<T extends Held>(pin: PinId, bcm: number, kind: string, direction: Direction, edge: GpioEdge | undefined, build: (line: ExportedLine) => T): T {
    if (this.state === 'closed') throw halError('E_HAL_CLOSED', pin, `${kind} on pin ${pin}: this OnoffHal was closed`);
    if (this.held.has(bcm)) throw halError('E_HAL_PIN_IN_USE', pin, `${kind} on pin ${pin}: the pin is already held by an open resource`);
    this.context ??= resolveLineContext({ ...this.o, log: this.log, exitRelease: this.o.exitRelease ?? processExitRelease }, pin);
    const line = ExportedLine.open(this.context, pin, bcm, direction, edge);
    try {
      const resource = build(line);
      this.held.set(bcm, resource);
      return resource;
    } catch (err) {
      line.release();
      throw err;
    }
  }
}
