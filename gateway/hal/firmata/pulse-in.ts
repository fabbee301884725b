/**
 * Ultrasonic ping on a Firmata board, through PingFirmata's PING_READ: the board pulses a pin for
 * triggerUs, then times the echo on the same pin (Arduino pulseIn) and answers the width in µs, or
 * 0 when none came within the timeout. One pin does both, so an HC-SR04 is wired with TRIG and
 * ECHO joined on the `echo` pin (johnny-five's HC-SR04 wiring for PingFirmata; three-pin sensors
 * such as the Parallax PING))) need nothing). The `trigger` pin is held, so nothing else uses it,
 * but never driven.
 *
 * - measure() gives done(width) when the board answers, done(-1) for no echo; E_HAL_BUSY while
 *   one is in flight, as on the mock. Firmata's answer travels over the serial line, so done runs
 *   a few ms after the echo ended rather than exactly then.
 * - If the board does not answer within timeoutMs + REPLY_SLACK_MS (it went away, or the answer
 *   was lost), done(-1). While the board is away (or the pulse timer failed), done(-1) after
 *   timeoutMs, as a missing echo would.
 * - Firmata without PING_READ on the pin: opening throws E_HAL_UNAVAILABLE (known board) or the
 *   HAL logs it at the first ready (the resource then answers -1).
 * - PingFirmata blocks the board while it waits for the echo: keep timeoutMs short (30 ms covers
 *   5 m); the board's reports of other pins pause meanwhile.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import { halError } from '../../../firmware/hal/errors.js';
import type { PulseIn, PulseInOptions } from '../../../firmware/hal/pins.js';
import { MODE, type FirmataIo } from './io.js';
import { claimKey, parsePin, type FirmataPin, type PinTable } from './pin-table.js';
import { FirmataResource, type ResourceContext } from './resource.js';

/** How long past timeoutMs an answer from the board is still awaited. */
export const REPLY_SLACK_MS = 250;

export const NO_PING_HINT = "this board's Firmata has no PING_READ: flash PingFirmata, or use a node";

interface Measurement {
  seq: number;
  done: (echoUs: number) => void;
  watchdog: TimerId;
  /** The io asked and the callback it holds, dropped if the answer never comes. */
  asked?: { io: FirmataIo; callback: (us: number) => void };
}

export class FirmataPulseIn extends FirmataResource implements PulseIn {
  readonly kind = 'pulseIn';
  readonly claims: string[];
  private readonly trigger: FirmataPin;
  private readonly echo: FirmataPin;
  private readonly options: PulseInOptions;
  private number = -1;
  private measuring: Measurement | undefined;
  private seq = 0;

  /** Options must already be validated. */
  constructor(ctx: ResourceContext, options: PulseInOptions) {
    super(ctx, options.echo);
    this.options = { ...options };
    this.trigger = parsePin(options.trigger, 'pulse timer trigger');
    this.echo = parsePin(options.echo, 'pulse timer echo');
    this.claims = [claimKey(this.trigger), claimKey(this.echo)];
  }

  check(table: PinTable): void {
    table.digital(this.trigger, 'pulse timer trigger');
    table.require(this.echo, table.digital(this.echo, 'pulse timer echo'), MODE.PING_READ, 'pulse timer', NO_PING_HINT);
  }

  measure(done: (echoUs: number) => void): void {
    const echo = this.options.echo;
    this.assertOpen('measure');
    if (this.measuring !== undefined) {
      throw halError('E_HAL_BUSY', echo, `measure on pulse timer ${echo} while a measurement is in flight`);
    }
    if (typeof done !== 'function') throw halError('E_HAL_OPTIONS', echo, 'measure needs a done callback');
    const seq = ++this.seq;
    const io = this.io;
    const waitMs = this.options.timeoutMs + (io ? REPLY_SLACK_MS : 0);
    const watchdog = this.later(waitMs, () => this.finish(seq, -1));
    this.measuring = { seq, done, watchdog };
    if (io === undefined) return;
    const ping = io.pingRead?.bind(io);
    if (ping === undefined) return; // check() found PING_READ, so an io without pingRead cannot be here
    const options = {
      pin: this.number, value: 1,
      pulseOut: Math.max(1, Math.round(this.options.triggerUs)),
      timeout: Math.round(this.options.timeoutMs * 1000),
    };
    const callback = (us: number): void => this.answered(seq, us);
    this.measuring.asked = { io, callback };
    this.ctx.call(`pingRead(${this.number})`, () => ping(options, callback));
  }

  protected start(_io: FirmataIo, table: PinTable): void {
    this.number = table.digital(this.echo, 'pulse timer echo');
  }

  private answered(seq: number, us: number): void {
    const m = this.measuring;
    if (m === undefined || m.seq !== seq || this.state === 'closed') return;
    const width = typeof us === 'number' && us > 0 && us <= this.options.timeoutMs * 1000 ? us : -1;
    this.cancel(m.watchdog);
    // The answer may come inside an io call of ours (a mock board): done always runs from a timer.
    m.watchdog = this.later(0, () => this.finish(seq, width));
  }

  private finish(seq: number, width: number): void {
    const m = this.measuring;
    if (m === undefined || m.seq !== seq) return;
    this.measuring = undefined;
    // An answer still owed must not be taken for the next measurement's (firmata.js: once per pin).
    if (m.asked) m.asked.io.removeListener(`ping-read-${this.number}`, m.asked.callback);
    m.done(width);
  }

  protected override closed(): void {
    this.measuring = undefined;
  }
}
