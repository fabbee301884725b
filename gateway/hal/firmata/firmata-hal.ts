/**
 * The HAL on one Firmata board (an Arduino running StandardFirmata, or PingFirmata for ultrasonic
 * ping) on a serial port, driven through johnny-five's IO-plugin calls. Resources behave as the
 * mock's do (hil-tests/harness/mock-*.ts): options validated before anything is touched, one
 * resource per pin, nothing after close(), callbacks only from clock timers or the board's
 * reports. Each resource's file documents its own behaviour on Firmata.
 *
 * Readiness and outages, decided once for both:
 * - Resources open at any time. A board needs seconds to come up (an Arduino resets when its port
 *   opens) and the gateway starts its devices at once, so until the board is ready, and while it
 *   is away, outputs remember what was written and inputs keep their last value; each time the
 *   board is ready every resource is attached again in the order opened: pin modes set, outputs
 *   written, reports switched on. Watches keep working across reconnects.
 * - Pin names are checked when a resource opens. Whether the board has the pin and the mode can
 *   be checked only against its capability response: at open when a board has been ready, else
 *   at the first ready, where a pin it cannot serve is logged ('firmata.pin-unusable'), listed
 *   in status().pinFaults and left running on remembered values (it never throws into a
 *   controller's timer).
 * - A board not ready within readyTimeoutMs, a port that will not open, and a board lost are
 *   logged ('firmata.unavailable', with the retry delay), reported to onStatus listeners and
 *   reject whenReady(); the link keeps trying (board-link.ts). whenReady() is for callers that
 *   want to wait (benches, tests, a start-up check); nothing requires it.
 */
import type { Clock } from '../../../firmware/hal/clock.js';
import { halError, isHalError, type HalError } from '../../../firmware/hal/errors.js';
import type {
  AnalogIn, AnalogInOptions, ByteStream, ByteStreamOptions, DigitalIn, DigitalInOptions, DigitalOut, DigitalOutOptions,
  Hal, PulseIn, PulseInOptions, PwmOptions, PwmOut,
} from '../../../firmware/hal/pins.js';
import {
  checkAnalogIn, checkByteStream, checkDigitalIn, checkDigitalOut, checkPulseIn, checkPwm,
} from '../../../firmware/hal/validate.js';
import { Logger } from '../../log/logger.js';
import { FirmataAnalogIn } from './analog-in.js';
import { BoardHealth, type BoardStatus, type BoardStatusListener } from './board-health.js';
import { BoardLink } from './board-link.js';
import { textOf } from './board-errors.js';
import { FirmataDigitalIn } from './digital-in.js';
import type { FirmataIo, OpenIo } from './io.js';
import { openSerialFirmata } from './open-serial.js';
import { FirmataDigitalOut, FirmataPwm } from './outputs.js';
import { PinTable } from './pin-table.js';
import { FirmataPulseIn } from './pulse-in.js';
import { FirmataResource, KIND_TEXT, type ResourceContext } from './resource.js';

export interface FirmataHalOptions {
  clock: Clock;
  /** The board's serial port; it also names the board in messages and logs. */
  port: string;
  /** Opens the board, a new io each call; default firmata.js over serialport (open-serial.ts). */
  openIo?: OpenIo;
  /** An attempt not ready this long is given up and retried; default 10 s. */
  readyTimeoutMs?: number;
  /** Retry delays: first, doubling to max; default 1 s and 30 s. */
  reconnectFirstMs?: number;
  reconnectMaxMs?: number;
  log?: Logger;
}

export const DEFAULT_READY_TIMEOUT_MS = 10_000;

export type { BoardState, BoardStatus, BoardStatusListener } from './board-health.js';

export class FirmataHal implements Hal {
  readonly clock: Clock;
  readonly port: string;
  private readonly log: Logger;
  private readonly link: BoardLink;
  private readonly ctx: ResourceContext;
  private readonly resources = new Set<FirmataResource>();
  private readonly held = new Map<string, FirmataResource>();
  private readonly health: BoardHealth;
  private io: FirmataIo | undefined;
  /** The capabilities of the board last ready; kept while it is away. */
  private table: PinTable | undefined;
  private frequencyNoted = false;

  constructor(o: FirmataHalOptions) {
    this.clock = o.clock;
    this.port = o.port;
    this.log = (o.log ?? new Logger(() => undefined)).child({ port: o.port });
    this.health = new BoardHealth(o.clock, o.port, this.log, () => this.pinFaults());
    this.ctx = {
      clock: o.clock,
      call: (what, fn) => this.call(what, fn),
      release: (r) => this.release(r),
    };
    this.link = new BoardLink({
      port: o.port, clock: o.clock, openIo: o.openIo ?? openSerialFirmata, log: this.log,
      readyTimeoutMs: o.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      reconnectFirstMs: o.reconnectFirstMs ?? 1_000, reconnectMaxMs: o.reconnectMaxMs ?? 30_000,
    }, {
      ready: (io, again) => this.ready(io, again),
      lost: (err) => this.down(err, true),
      failed: (err) => this.down(err, false),
    });
  }

  /** Starts connecting to the board (resources may be opened before or after). */
  start(): void {
    if (this.health.state() === 'closed') throw this.health.closedError('start');
    this.link.start();
  }

  /** Closes every resource and the board's port; the HAL refuses everything afterwards. */
  close(): void {
    if (this.health.state() === 'closed') return;
    for (const r of [...this.resources]) r.close();
    this.link.close();
    this.io = undefined;
    this.health.close();
  }

  /** Resolves when the board is ready; rejects with the E_HAL_UNAVAILABLE of the next failed attempt. */
  whenReady(): Promise<void> {
    return this.health.whenReady();
  }

  status(): BoardStatus {
    return this.health.status();
  }

  /**
   * Calls `listener` with the status after every change of state and every failed attempt to
   * reach the board (so the error shown is the latest); returns the unsubscribe.
   */
  onStatus(listener: BoardStatusListener): () => void {
    return this.health.onStatus(listener);
  }

  digitalIn(options: DigitalInOptions): DigitalIn {
    checkDigitalIn(options);
    return this.open(new FirmataDigitalIn(this.ctx, options));
  }

  digitalOut(options: DigitalOutOptions): DigitalOut {
    checkDigitalOut(options);
    return this.open(new FirmataDigitalOut(this.ctx, options));
  }

  pwm(options: PwmOptions): PwmOut {
    checkPwm(options);
    const pwm = this.open(new FirmataPwm(this.ctx, options));
    if (!this.frequencyNoted) {
      this.frequencyNoted = true;
      this.log.info('firmata.pwm-frequency', {
        pin: options.pin, askedHz: options.frequency,
        note: "Firmata cannot set a PWM frequency: the board's own is used (about 490 Hz; 980 Hz on pins 5 and 6 of an Uno)",
      });
    }
    return pwm;
  }

  analogIn(options: AnalogInOptions): AnalogIn {
    checkAnalogIn(options);
    return this.open(new FirmataAnalogIn(this.ctx, options));
  }

  pulseIn(options: PulseInOptions): PulseIn {
    checkPulseIn(options);
    return this.open(new FirmataPulseIn(this.ctx, options));
  }

  byteStream(options: ByteStreamOptions): ByteStream {
    checkByteStream(options);
    throw halError('E_HAL_UNAVAILABLE', options.port,
      `byte stream on ${options.port}: a Firmata board (${this.port}) offers no serial streams here; ` +
      "a Kerb node on its own serial port is a 'serial' transport");
  }

  /** Claims the resource's pins, checks it against a known board and attaches it to a ready one. */
  private open<R extends FirmataResource>(r: R): R {
    if (this.health.state() === 'closed') throw this.health.closedError(`opening ${KIND_TEXT[r.kind]} ${r.pinName}`);
    for (const key of r.claims) {
      const other = this.held.get(key);
      if (other !== undefined) {
        throw halError('E_HAL_PIN_IN_USE', r.pinName,
          `pin ${key} of the board on ${this.port} is already held by an open ${KIND_TEXT[other.kind]} (${other.pinName})`);
      }
    }
    if (this.table !== undefined) r.check(this.table);
    for (const key of r.claims) this.held.set(key, r);
    this.resources.add(r);
    if (this.io !== undefined && this.table !== undefined) r.attach(this.io, this.table);
    return r;
  }

  private ready(io: FirmataIo, again: boolean): void {
    const outageMs = this.health.forMs();
    const table = new PinTable(io, this.port);
    this.io = io;
    this.table = table;
    for (const r of this.resources) {
      try {
        r.check(table);
      } catch (err) {
        const error = isHalError(err) ? err : halError('E_HAL_UNAVAILABLE', r.pinName, textOf(err));
        r.fail(error);
        this.log.error('firmata.pin-unusable', { pin: r.pinName, error: error.message });
        continue;
      }
      r.attach(io, table);
    }
    this.log.info('firmata.ready', { again, ...(again ? { outageMs } : {}), resources: this.resources.size });
    this.health.ready();
  }

  private down(error: HalError, lost: boolean): void {
    if (lost) {
      this.io = undefined;
      for (const r of this.resources) r.detach();
    }
    this.health.down(error, lost);
  }

  private pinFaults(): BoardStatus['pinFaults'] {
    return [...this.resources].flatMap((r) => {
      const fault = r.failure();
      return fault ? [{ pin: r.pinName, error: fault.message }] : [];
    });
  }

  private call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.warn('firmata.io-error', { call: what, error: textOf(err) });
    }
  }

  private release(r: FirmataResource): void {
    this.resources.delete(r);
    for (const key of r.claims) if (this.held.get(key) === r) this.held.delete(key);
  }
}
