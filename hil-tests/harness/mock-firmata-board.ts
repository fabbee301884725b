/**
 * One Arduino on the bench, played on mock-firmata: the board's firmware, its USB cable and the
 * world wired to its pins, for the Firmata backend's tests, its contract bench and the demo.
 *
 * `open` is the backend's OpenIo: each call gives a fresh mock-firmata io that behaves as
 * firmata.js does over a board running StandardFirmata (or PingFirmata): it comes up ('connect',
 * then 'ready') bootMs after the open on the virtual clock; once a port's digital reporting is on
 * it reports every input pin of that port (firmata.js's `digital-read-<pin>`) at once and on each
 * change; analog channels report on enable and on change (`analog-read-<channel>`); PING_READ
 * answers from the echo responder (`ping-read-<pin>`, 0 for no echo) after the pulse and the echo,
 * or at the timeout. mock-firmata itself records nothing and reports nothing: this adds that.
 *
 * The world (levels driven on inputs, analog values, echoes) outlives connections; the board's
 * own state (pin modes, outputs, reporting) starts afresh at each boot, as an Arduino resets when
 * its port opens. unplug() loses the connection (and opens fail until plug()); 'silent' firmware
 * opens the port and never answers (a board without Firmata, or at another baud).
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { MODE, type FirmataIo, type FirmataPinInfo, type PingReadOptions } from '../../gateway/hal/firmata/io.js';
import { parsePin } from '../../gateway/hal/firmata/pin-table.js';
import type { Level, PinId } from '../../firmware/hal/pins.js';
import type { VirtualClock } from './virtual-clock.js';

interface MockPin extends FirmataPinInfo {
  mode: number;
  value: number;
  report: number;
  analogChannel: number;
}

type MockIo = FirmataIo & EventEmitter;
const mockFirmata = createRequire(import.meta.url)('mock-firmata') as {
  Firmata: new (options: { pins: MockPin[] }) => MockIo;
  Pins: { UNO: MockPin[] };
};

export type Firmware = 'StandardFirmata' | 'PingFirmata' | 'silent';
export type EchoResponder = (nowMs: number) => number;

export interface MockFirmataBoardOptions {
  clock: VirtualClock;
  /** Default 'StandardFirmata'; 'PingFirmata' adds PING_READ on every digital pin. */
  firmware?: Firmware;
  /** The firmware reports PULLUP (StandardFirmata 2.5+); default true. */
  pullUp?: boolean;
  /** From open to ready, on the virtual clock; default 0 (the next clock turn). */
  bootMs?: number;
}

export class MockFirmataBoard {
  private readonly clock: VirtualClock;
  private readonly bootMs: number;
  private readonly pullUp: boolean;
  private firmware: Firmware;
  private plugged = true;
  /** The io the board talks to; undefined while nothing is connected. */
  private io: MockIo | undefined;
  private pins: MockPin[] = [];
  // The world.
  private readonly driven = new Map<number, Level>();
  private readonly analog = new Map<number, number>();
  private readonly echoes = new Map<number, EchoResponder>();
  // The board's own state, reset at each boot.
  private modes = new Map<number, number>();
  private outputs = new Map<number, number>();
  private pwm = new Map<number, number>();
  private digitalPorts = new Set<number>();
  private analogChannels = new Set<number>();
  /** Ports opened, boots completed. */
  opens = 0;
  boots = 0;

  constructor(o: MockFirmataBoardOptions) {
    this.clock = o.clock;
    this.bootMs = o.bootMs ?? 0;
    this.pullUp = o.pullUp ?? true;
    this.firmware = o.firmware ?? 'StandardFirmata';
  }

  /** The backend's OpenIo. */
  readonly open = (port: string): FirmataIo => {
    this.opens++;
    const io = new mockFirmata.Firmata({ pins: this.pinTable() });
    this.wire(io);
    if (!this.plugged) {
      this.clock.setTimeout(() => io.emit('error', new Error(`Error: No such file or directory, cannot open ${port}`)), 0);
      return io;
    }
    // Any earlier connection is over: the port is opened anew.
    this.io = undefined;
    const firmware = this.firmware;
    this.clock.setTimeout(() => {
      if (!this.plugged) return;
      io.emit('connect');
      if (firmware === 'silent') return;
      this.clock.setTimeout(() => this.boot(io), this.bootMs);
    }, 0);
    return io;
  };

  /** The cable is pulled: the connection closes as serialport reports a lost device; opens fail. */
  unplug(): void {
    this.plugged = false;
    const io = this.io;
    this.io = undefined;
    if (io === undefined) return;
    const err = Object.assign(new Error('Disconnected'), { disconnected: true });
    io.emit('close', err);
  }

  plug(): void {
    this.plugged = true;
  }

  /** Flashes other firmware: the next open runs it. */
  flash(firmware: Firmware): void {
    this.firmware = firmware;
  }

  isConnected(): boolean {
    return this.io !== undefined;
  }

  // ---- the world outside the pins ----

  setInput(pin: PinId, level: Level): void {
    const n = this.digitalNumber(pin);
    if (this.driven.get(n) === level) return;
    this.driven.set(n, level);
    if (this.reportsDigital(n)) this.reportPort(n >> 3);
  }

  /** The value an analog input reads, 0..1 of full scale (quantised to 1/1023 as a 10-bit ADC does). */
  setAnalog(pin: PinId, value: number): void {
    const channel = this.channel(pin);
    this.analog.set(channel, Math.round(Math.min(1, Math.max(0, value)) * 1023));
    if (this.analogChannels.has(channel)) this.io?.emit(`analog-read-${channel}`, this.analog.get(channel));
  }

  /** How the pin answers PING_READ: echo width in µs, or -1 for none. */
  setEcho(pin: PinId, responder: EchoResponder): void {
    this.echoes.set(this.digitalNumber(pin), responder);
  }

  // ---- what the board drives ----

  /** The level a digital output drives (what was last written since the board booted). */
  level(pin: PinId): Level {
    return this.outputs.get(this.digitalNumber(pin)) ? 1 : 0;
  }

  /** The duty cycle a PWM pin drives: the last analogWrite over 255. */
  duty(pin: PinId): number {
    return (this.pwm.get(this.digitalNumber(pin)) ?? 0) / 255;
  }

  /** The mode the pin was last set to since the board booted, if any. */
  mode(pin: PinId): number | undefined {
    return this.modes.get(this.digitalNumber(pin));
  }

  private boot(io: MockIo): void {
    if (!this.plugged) return;
    this.modes = new Map();
    this.outputs = new Map();
    this.pwm = new Map();
    this.digitalPorts = new Set();
    this.analogChannels = new Set();
    this.io = io;
    this.boots++;
    io.emit('ready');
  }

  /** mock-firmata's UNO table (copied: mock-firmata shares its pin objects), with this firmware's modes. */
  private pinTable(): MockPin[] {
    const pins = mockFirmata.Pins.UNO.map((p) => ({ ...p, supportedModes: [...p.supportedModes] }));
    for (const p of pins) {
      const digital = p.supportedModes.includes(MODE.INPUT);
      if (digital && this.pullUp) p.supportedModes.push(MODE.PULLUP);
      if (digital && this.firmware === 'PingFirmata') p.supportedModes.push(MODE.PING_READ);
    }
    this.pins = pins;
    return pins;
  }

  /** Replaces mock-firmata's do-nothing calls with a board's behaviour, for this io only. */
  private wire(io: MockIo): void {
    const live = (): boolean => this.io === io;
    const reportDigital = (pin: number, value: number): void => {
      if (!live()) return;
      if (value === 1) {
        this.digitalPorts.add(pin >> 3);
        this.reportPort(pin >> 3);
      } else {
        this.digitalPorts.delete(pin >> 3);
      }
    };
    Object.assign(io, {
      pinMode: (pin: number, mode: number) => {
        if (!live()) return;
        const n = mode === MODE.ANALOG ? io.analogPins[pin]! : pin;
        this.modes.set(n, mode);
        if (this.reportsDigital(n)) this.reportPort(n >> 3);
      },
      digitalWrite: (pin: number, value: number) => {
        if (live()) this.outputs.set(pin, value ? 1 : 0);
      },
      analogWrite: (pin: number, value: number) => {
        if (live()) this.pwm.set(pin, value);
      },
      digitalRead: (pin: number, callback: (value: number) => void) => {
        io.on(`digital-read-${pin}`, callback);
        reportDigital(pin, 1);
      },
      reportDigitalPin: reportDigital,
      analogRead: (channel: number, callback: (value: number) => void) => {
        io.on(`analog-read-${channel}`, callback);
        io.reportAnalogPin?.(channel, 1);
      },
      reportAnalogPin: (channel: number, value: number) => {
        if (!live()) return;
        if (value === 0) {
          this.analogChannels.delete(channel);
          return;
        }
        this.analogChannels.add(channel);
        io.emit(`analog-read-${channel}`, this.analog.get(channel) ?? 0);
      },
      pingRead: (o: PingReadOptions, callback: (echoUs: number) => void) => this.ping(io, o, callback),
    });
  }

  private ping(io: MockIo, o: PingReadOptions, callback: (echoUs: number) => void): void {
    // As firmata.js does.
    if (!this.pins[o.pin]?.supportedModes.includes(MODE.PING_READ)) throw new Error('Please upload PingFirmata to the board');
    io.once(`ping-read-${o.pin}`, callback);
    if (this.io !== io) return;
    const responder = this.echoes.get(o.pin);
    const answer = responder === undefined ? -1 : responder(this.clock.now());
    const width = typeof answer === 'number' && answer >= 0 ? Math.round(answer) : -1;
    const endUs = o.pulseOut + width;
    const [atUs, us] = width < 0 || endUs > o.timeout ? [o.timeout, 0] : [endUs, width];
    this.clock.setTimeout(() => {
      if (this.io === io) io.emit(`ping-read-${o.pin}`, us);
    }, atUs / 1000);
  }

  /** A pin reports while its port's reporting is on and it is an input. */
  private reportsDigital(pin: number): boolean {
    const mode = this.modes.get(pin);
    return this.io !== undefined && this.digitalPorts.has(pin >> 3) && (mode === MODE.INPUT || mode === MODE.PULLUP);
  }

  /** firmata.js emits a report for every input pin of the port. */
  private reportPort(port: number): void {
    const io = this.io;
    if (io === undefined) return;
    for (let n = port * 8; n < port * 8 + 8; n++) {
      if (this.reportsDigital(n)) io.emit(`digital-read-${n}`, this.inputLevel(n));
    }
  }

  private inputLevel(pin: number): Level {
    return this.driven.get(pin) ?? (this.modes.get(pin) === MODE.PULLUP ? 1 : 0);
  }

  private digitalNumber(pin: PinId): number {
    const p = parsePin(pin, 'mock board pin');
    return p.kind === 'digital' ? p.number : 14 + p.channel;
  }

  private channel(pin: PinId): number {
    const p = parsePin(pin, 'mock board analog pin');
    if (p.kind !== 'analog') throw new Error(`setAnalog takes an analog pin name ('A0'), got '${pin}'`);
    return p.channel;
  }
}
