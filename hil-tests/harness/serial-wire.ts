/**
 * One direction of a UART wire on the virtual clock: bytes leave one after another at the
 * sender's baud, 10 bits each (start, 8 data, stop: 115200 baud is 11.52 bytes per ms), and
 * each arrives when its stop bit has. When the receiver listens at another baud it does not
 * get the bytes but what a UART makes of them (garble()), over the same time.
 */
import type { TimerId } from '../../firmware/hal/clock.js';
import type { VirtualClock } from './virtual-clock.js';

export const BITS_PER_BYTE = 10;

/** Junk with the high bit set: a mis-clocked UART reads the idle (high) line into the top bits. */
function junk(b: number): number {
  return 0x80 | ((b * 0x25 + 0x3b) & 0x7f);
}

/**
 * What a UART at `rxBaud` receives for bytes sent at `txBaud`, deterministically. Faster than
 * the sender, it frames each byte's long start bit as a byte of its own and reads a break
 * (0x00) too once the ratio is 2 or more; slower, it runs several sent bytes into one. Never a
 * printable character, newline or Ctrl-C: a wrong speed shows as noise, never as an answer.
 */
export function garble(bytes: Uint8Array, txBaud: number, rxBaud: number): Uint8Array {
  const out: number[] = [];
  if (rxBaud > txBaud) {
    const breaks = rxBaud / txBaud >= 2;
    for (const b of bytes) {
      out.push(junk(b));
      if (breaks) out.push(0x00);
    }
  } else {
    const n = Math.min(8, Math.max(1, Math.round(txBaud / rxBaud)));
    for (let i = 0; i < bytes.length; i += n) {
      let x = 0;
      for (const b of bytes.subarray(i, i + n)) x ^= b;
      out.push(junk(x));
    }
  }
  return Uint8Array.from(out);
}

export class PacedWire {
  /** When the byte now on the wire has fully arrived. */
  private freeAt = 0;
  private readonly timers = new Set<TimerId>();

  constructor(private readonly clock: VirtualClock, private readonly deliver: (bytes: Uint8Array) => void) {}

  /**
   * Sends `bytes` at `txBaud` to a receiver at `rxBaud`; resolves once the last one arrived.
   * `urgent` bytes (a UART's XON/XOFF) go out after the byte on the wire, ahead of the queue,
   * as Espruino's jshGetCharToTransmit sends them; they do not push the queued bytes back.
   */
  send(bytes: Uint8Array, txBaud: number, rxBaud: number, urgent = false): Promise<void> {
    const byteMs = (BITS_PER_BYTE * 1000) / txBaud;
    const now = this.clock.now();
    const start = urgent ? Math.max(now, Math.min(this.freeAt, now + byteMs)) : Math.max(now, this.freeAt);
    const end = start + bytes.length * byteMs;
    if (!urgent) this.freeAt = end;
    const received = txBaud === rxBaud ? bytes : garble(bytes, txBaud, rxBaud);
    const step = received.length === 0 ? 0 : (end - start) / received.length;
    received.forEach((b, i) => this.at(start + (i + 1) * step, () => this.deliver(Uint8Array.of(b))));
    return new Promise((resolve) => this.at(end, resolve));
  }

  /** Drops what is still in flight (the board is gone). */
  cancel(): void {
    for (const id of this.timers) this.clock.clearTimer(id);
    this.timers.clear();
    this.freeAt = 0;
  }

  private at(time: number, fn: () => void): void {
    const id: TimerId = this.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, time - this.clock.now());
    this.timers.add(id);
  }
}
