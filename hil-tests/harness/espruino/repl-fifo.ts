/**
 * The console's share of Espruino's input buffer (ioBuffer in src/jsdevices.c): what the UART
 * interrupt pushes and the main loop pops, with the real board's sizes and flow-control marks.
 *
 * - Size: IOBUFFERMASK+1 = 128 events on a board with 20 KB of RAM or more (Pico, Original,
 *   nRF52; scripts/build_platform_config.py), one slot always empty, and one device's bytes
 *   pack IOEVENT_MAXCHARS = 4 to an event (jsdevices.h). So 127 × 4 = 508 bytes when the
 *   console is the only talker.
 * - XOFF goes out when an arriving byte finds more than TXBUFFERMASK*6/8 = 95 events used (380
 *   bytes), XON once the main loop has drained it below TXBUFFERMASK*3/8 = 47 events (188
 *   bytes): IOBUFFER_XOFF / IOBUFFER_XON, also from build_platform_config.py.
 * - Flow control is per device and off on UARTs unless `SerialN.setup(baud, {flow:'xon'})`
 *   asked for it (jsserial.c: undefined/'none' → off); USB always has it (jshInitDevices).
 * - A byte that finds the buffer full is dropped and sets JSERR_RX_FIFO_FULL
 *   (jshIOEventOverflowed), which E.getErrorFlags() reports as 'FIFO_FULL'.
 */

export const FIFO_BYTES = 127 * 4;
export const XOFF_ABOVE_BYTES = 95 * 4;
export const XON_BELOW_BYTES = 47 * 4;
export const XOFF = 0x13;
export const XON = 0x11;

export interface FifoStats {
  highWater: number;
  bytesLost: number;
  xoffSent: number;
  xonSent: number;
}

export class ReplFifo {
  readonly stats: FifoStats = { highWater: 0, bytesLost: 0, xoffSent: 0, xonSent: 0 };
  private bytes: number[] = [];
  private xoffSent = false;

  /** `send` puts a flow-control byte on the console's wire, ahead of queued output as the UART does. */
  constructor(private readonly send: (byte: number) => void, private readonly flowControl: () => boolean) {}

  get length(): number {
    return this.bytes.length;
  }

  /** From the UART interrupt. False when the byte was lost to a full buffer. */
  push(byte: number): boolean {
    if (this.bytes.length >= FIFO_BYTES) {
      this.stats.bytesLost++;
      return false;
    }
    this.bytes.push(byte);
    this.stats.highWater = Math.max(this.stats.highWater, this.bytes.length);
    if (this.bytes.length > XOFF_ABOVE_BYTES && !this.xoffSent && this.flowControl()) {
      this.xoffSent = true;
      this.stats.xoffSent++;
      this.send(XOFF);
    }
    return true;
  }

  /** From the main loop. */
  shift(): number | undefined {
    return this.bytes.shift();
  }

  /** The idle loop's check after handling what it popped (jsiIdle: "Reset Flow control"). */
  idle(): void {
    if (this.xoffSent && this.bytes.length < XON_BELOW_BYTES) {
      this.xoffSent = false;
      this.stats.xonSent++;
      this.send(XON);
    }
  }

  /** A hardware reset empties RAM; a soft reset (reset(), load()) leaves the buffer alone. */
  clear(): void {
    this.bytes = [];
    this.xoffSent = false;
  }
}
