/**
 * An analog input on a Firmata board. The board reports the channel every sampling interval
 * (19 ms by default) once reporting is on; read() returns the last report as a fraction of the
 * converter's full scale (1023 on an Uno, from the capability response), clamped to 0..1. Before
 * the first report it reads 0, as an unset mock input does; while the board is away it keeps the
 * last value.
 */
import type { AnalogIn, AnalogInOptions } from '../../../firmware/hal/pins.js';
import { MODE, type FirmataIo } from './io.js';
import { claimKey, parsePin, type FirmataPin, type PinTable } from './pin-table.js';
import { FirmataResource, type ResourceContext } from './resource.js';

export class FirmataAnalogIn extends FirmataResource implements AnalogIn {
  readonly kind = 'analogIn';
  readonly claims: string[];
  private readonly pin: FirmataPin;
  private value = 0;
  private channel = -1;
  private listener: ((raw: number) => void) | undefined;

  /** Options must already be validated. */
  constructor(ctx: ResourceContext, options: AnalogInOptions) {
    super(ctx, options.pin);
    this.pin = parsePin(options.pin, 'analog input');
    this.claims = [claimKey(this.pin)];
  }

  check(table: PinTable): void {
    const channel = table.analogChannel(this.pin, 'analog input');
    table.require(this.pin, table.digital({ kind: 'analog', channel, name: this.pinName }, 'analog input'), MODE.ANALOG, 'analog input');
  }

  read(): number {
    this.assertOpen('read');
    return this.value;
  }

  protected start(io: FirmataIo, table: PinTable): void {
    this.channel = table.analogChannel(this.pin, 'analog input');
    const full = table.adcMax;
    const listener = (raw: number): void => {
      if (this.io !== io) return;
      const v = raw / full;
      this.value = v > 0 ? (v < 1 ? v : 1) : 0;
    };
    this.listener = listener;
    // firmata.js and johnny-five name analog pins by channel for both calls.
    this.ctx.call(`pinMode(A${this.channel})`, () => io.pinMode(this.channel, MODE.ANALOG));
    this.ctx.call(`analogRead(A${this.channel})`, () => io.analogRead(this.channel, listener));
  }

  protected override closed(io: FirmataIo | undefined): void {
    if (io === undefined || this.listener === undefined) return;
    io.removeListener(`analog-read-${this.channel}`, this.listener);
    // Analog reports are switched per channel, so this one can stop sending.
    if (io.listenerCount(`analog-read-${this.channel}`) === 0 && io.reportAnalogPin) {
      const report = io.reportAnalogPin.bind(io);
      this.ctx.call(`reportAnalogPin(A${this.channel}, 0)`, () => report(this.channel, 0));
    }
  }
}
