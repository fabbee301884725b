/**
 * A digital input on a Firmata board: the board reports the pin (StandardFirmata sends a port's
 * levels when its reporting is switched on, then on every change) and EdgeDebounce applies the
 * Kerb debounce and edge filter on the Kerb clock, as the mock does.
 *
 * - The first report after the watch opens is the level the pin already has: nothing is
 *   reported for it. read() gives the raw level last reported (pull 'up': 1 until the first).
 * - firmata.js reports every input pin of a port whenever any of them changes; repeats of the
 *   level already seen are ignored.
 * - While the board is away read() returns the last level seen and no edge can be seen. When it
 *   is back its first report is compared with that level: a difference is a change at that
 *   moment (debounced as usual), so motion during an outage is reported on reconnect.
 * - pull 'up' needs the firmware's PULLUP mode (StandardFirmata 2.5+); 'down' does not exist on
 *   Firmata boards.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { DigitalIn, DigitalInOptions, Level } from '../../../firmware/hal/pins.js';
import { EdgeDebouncer } from '../edge-debounce.js';
import { MODE, type FirmataIo } from './io.js';
import { claimKey, parsePin, type FirmataPin, type PinTable } from './pin-table.js';
import { FirmataResource, type ResourceContext } from './resource.js';

export class FirmataDigitalIn extends FirmataResource implements DigitalIn {
  readonly kind = 'digitalIn';
  readonly claims: string[];
  private readonly pin: FirmataPin;
  private readonly mode: number;
  private readonly debounce: EdgeDebouncer;
  private level: Level;
  /** False until the first report after opening: that one is the level the pin already had. */
  private heard = false;
  private number = -1;
  private listener: ((value: number) => void) | undefined;

  /** Options must already be validated. */
  constructor(ctx: ResourceContext, options: DigitalInOptions) {
    super(ctx, options.pin);
    this.pin = parsePin(options.pin, 'digital input');
    if (options.pull === 'down') {
      throw halError('E_HAL_UNAVAILABLE', options.pin,
        `digital input on pin ${options.pin}: Firmata boards have no pull-down resistors; fit one on the board and use pull 'none'`);
    }
    this.claims = [claimKey(this.pin)];
    this.mode = options.pull === 'up' ? MODE.PULLUP : MODE.INPUT;
    this.level = options.pull === 'up' ? 1 : 0;
    const onEdge = options.onEdge;
    this.debounce = new EdgeDebouncer(ctx.clock, { debounceMs: options.debounceMs, edge: options.edge, onEdge: (e) => onEdge(e) }, this.level);
  }

  check(table: PinTable): void {
    const n = table.digital(this.pin, 'digital input');
    const hint = this.mode === MODE.PULLUP ? "flash StandardFirmata 2.5 or later, or fit a pull-up resistor and use pull 'none'" : undefined;
    table.require(this.pin, n, this.mode, 'digital input', hint);
  }

  read(): Level {
    this.assertOpen('read');
    return this.level;
  }

  protected start(io: FirmataIo, table: PinTable): void {
    this.number = table.digital(this.pin, 'digital input');
    const listener = (value: number): void => {
      if (this.io === io) this.reported(value ? 1 : 0);
    };
    this.listener = listener;
    this.ctx.call(`pinMode(${this.number})`, () => io.pinMode(this.number, this.mode));
    this.ctx.call(`digitalRead(${this.number})`, () => io.digitalRead(this.number, listener));
  }

  protected override stop(): void {
    this.debounce.dropPending();
  }

  protected override closed(io: FirmataIo | undefined): void {
    this.debounce.close();
    // Reporting stays on: it is switched per port of 8 pins, and other inputs may share it.
    if (io && this.listener) io.removeListener(`digital-read-${this.number}`, this.listener);
  }

  private reported(level: Level): void {
    if (!this.heard) {
      this.heard = true;
      this.level = level;
      this.debounce.baseline(level);
      return;
    }
    if (level === this.level) return;
    this.level = level;
    this.debounce.change(level, this.ctx.clock.now());
  }
}
