/**
 * The HAL over Espruino's pin API. It keeps the contract every backend keeps (options checked
 * before any pin is touched, one open resource per pin, nothing works after close(), callbacks
 * only ever from the event loop): a controller must not be able to tell it from the mock.
 *   digital in   pinMode + setWatch with Espruino's own debounce; the edge's time, not the
 *                debounce expiry
 *   pwm          analogWrite with the carrier frequency on every write (a write without it
 *                would fall back to the board's default frequency)
 *   pulse in     digitalPulse on the trigger; the echo's width from a falling-edge watch,
 *                `time - lastTime` (lastTime is the pin's last change, the rising edge)
 *   byte stream  Serial1 only: Espruino hands us binary strings, the link wants bytes
 */
import type { Clock } from '../../hal/clock.js';
import { halError } from '../../hal/errors.js';
import type {
  AnalogIn, AnalogInOptions, ByteStream, ByteStreamOptions, DigitalIn, DigitalInOptions, DigitalOut,
  DigitalOutOptions, Hal, Level, PinId, PulseIn, PulseInOptions, PwmOptions, PwmOut,
} from '../../hal/pins.js';
import {
  checkAnalogIn, checkByteStream, checkDigitalIn, checkDigitalOut, checkDuty, checkPulseIn, checkPwm,
} from '../../hal/validate.js';

/** Pins held by open resources; one resource per pin, as on every backend. */
class Claims {
  private readonly held: PinId[] = [];

  claim(pins: PinId[]): void {
    for (let i = 0; i < pins.length; i++) {
      if (this.held.indexOf(pins[i]) >= 0) throw halError('E_HAL_PIN_IN_USE', pins[i], 'pin ' + pins[i] + ' is already open');
    }
    for (let i = 0; i < pins.length; i++) this.held.push(pins[i]);
  }

  release(pins: PinId[]): void {
    for (let i = 0; i < pins.length; i++) {
      const at = this.held.indexOf(pins[i]);
      if (at >= 0) this.held.splice(at, 1);
    }
  }
}

class Resource {
  private closed = false;

  constructor(protected readonly claims: Claims, protected readonly pins: PinId[]) {
    claims.claim(pins);
  }

  protected assertOpen(what: string): void {
    if (this.closed) throw halError('E_HAL_CLOSED', this.pins[0], what + ' on closed pin ' + this.pins[0]);
  }

  /** True the first time: the caller then releases what it set up. */
  protected closing(): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.claims.release(this.pins);
    return true;
  }
}

class EspruinoDigitalIn extends Resource implements DigitalIn {
  private readonly watch: number;

  constructor(claims: Claims, o: DigitalInOptions) {
    super(claims, [o.pin]);
    pinMode(o.pin, o.pull === 'up' ? 'input_pullup' : o.pull === 'down' ? 'input_pulldown' : 'input');
    const onEdge = o.onEdge;
    this.watch = setWatch(function (e) {
      onEdge({ value: e.state ? 1 : 0, time: e.time * 1000 });
    }, o.pin, { repeat: true, edge: o.edge, debounce: o.debounceMs });
  }

  read(): Level {
    this.assertOpen('read');
    return digitalRead(this.pins[0]) ? 1 : 0;
  }

  close(): void {
    if (this.closing()) clearWatch(this.watch);
  }
}

class EspruinoDigitalOut extends Resource implements DigitalOut {
  private level: Level;

  constructor(claims: Claims, o: DigitalOutOptions) {
    super(claims, [o.pin]);
    this.level = o.initial;
    pinMode(o.pin, 'output');
    digitalWrite(o.pin, o.initial);
  }

  write(value: Level): void {
    this.assertOpen('write');
    this.level = value;
    digitalWrite(this.pins[0], value);
  }

  read(): Level {
    this.assertOpen('read');
    return this.level;
  }

  close(): void {
    this.closing();
  }
}

class EspruinoPwm extends Resource implements PwmOut {
  private duty: number;
  private readonly freq: number;

  constructor(claims: Claims, o: PwmOptions) {
    super(claims, [o.pin]);
    this.freq = o.frequency;
    this.duty = o.initial;
    pinMode(o.pin, 'output');
    analogWrite(o.pin, o.initial, { freq: o.frequency });
  }

  write(duty: number): void {
    this.assertOpen('write');
    checkDuty(this.pins[0], duty);
    this.duty = duty;
    analogWrite(this.pins[0], duty, { freq: this.freq });
  }

  read(): number {
    this.assertOpen('read');
    return this.duty;
  }

  close(): void {
    this.closing();
  }
}

class EspruinoAnalogIn extends Resource implements AnalogIn {
  constructor(claims: Claims, o: AnalogInOptions) {
    super(claims, [o.pin]);
    pinMode(o.pin, 'analog');
  }

  read(): number {
    this.assertOpen('read');
    return analogRead(this.pins[0]);
  }

  close(): void {
    this.closing();
  }
}

class EspruinoPulseIn extends Resource implements PulseIn {
  private readonly o: PulseInOptions;
  private readonly watch: number;
  private done: ((echoUs: number) => void) | undefined;
  private timer: number | undefined;

  constructor(claims: Claims, o: PulseInOptions) {
    super(claims, [o.trigger, o.echo]);
    this.o = o;
    pinMode(o.trigger, 'output');
    digitalWrite(o.trigger, 0);
    pinMode(o.echo, 'input');
    const self = this;
    this.watch = setWatch(function (e) {
      if (self.done !== undefined) self.finish((e.time - e.lastTime) * 1e6);
    }, o.echo, { repeat: true, edge: 'falling' });
  }

  measure(done: (echoUs: number) => void): void {
    this.assertOpen('measure');
    if (this.done !== undefined) throw halError('E_HAL_BUSY', this.o.echo, 'a measurement on ' + this.o.echo + ' is already in flight');
    this.done = done;
    const self = this;
    this.timer = setTimeout(function () {
      self.timer = undefined;
      self.finish(-1);
    }, this.o.timeoutMs);
    digitalPulse(this.o.trigger, 1, this.o.triggerUs / 1000);
  }

  close(): void {
    if (!this.closing()) return;
    clearWatch(this.watch);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.done = undefined;
  }

  private finish(echoUs: number): void {
    const done = this.done;
    this.done = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (done !== undefined) done(echoUs);
  }
}

/** Checked before the port is claimed, so a refused open leaves nothing held. */
function checkSerial1(port: string): string {
  if (port !== 'Serial1') throw halError('E_HAL_UNAVAILABLE', port, 'the link runs on Serial1 only, not ' + port);
  return port;
}

class EspruinoSerial extends Resource implements ByteStream {
  constructor(claims: Claims, o: ByteStreamOptions) {
    super(claims, [checkSerial1(o.port)]);
    const onData = o.onData;
    Serial1.setup(o.baud);
    Serial1.on('data', function (data: string) {
      onData(E.toUint8Array(data));
    });
  }

  write(bytes: Uint8Array): void {
    this.assertOpen('write');
    Serial1.write(bytes);
  }

  close(): void {
    if (this.closing()) Serial1.removeAllListeners('data');
  }
}

export class EspruinoHal implements Hal {
  private readonly claims = new Claims();

  constructor(readonly clock: Clock) {}

  digitalIn(options: DigitalInOptions): DigitalIn {
    checkDigitalIn(options);
    return new EspruinoDigitalIn(this.claims, options);
  }

  digitalOut(options: DigitalOutOptions): DigitalOut {
    checkDigitalOut(options);
    return new EspruinoDigitalOut(this.claims, options);
  }

  pwm(options: PwmOptions): PwmOut {
    checkPwm(options);
    return new EspruinoPwm(this.claims, options);
  }

  analogIn(options: AnalogInOptions): AnalogIn {
    checkAnalogIn(options);
    return new EspruinoAnalogIn(this.claims, options);
  }

  pulseIn(options: PulseInOptions): PulseIn {
    checkPulseIn(options);
    return new EspruinoPulseIn(this.claims, options);
  }

  byteStream(options: ByteStreamOptions): ByteStream {
    checkByteStream(options);
    return new EspruinoSerial(this.claims, options);
  }
}
