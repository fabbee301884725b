/**
 * The Firmata boards of one gateway, one FirmataHal per port: every device of a site file with
 * `transport: { type: firmata, port }` naming the same port shares that board (a lamp's PIR and
 * PWM and a bin's ping on one Arduino). A board starts connecting when the first device asks for
 * it. Ports are matched as written: name a board by one path throughout the site file.
 */
import type { Clock } from '../../../firmware/hal/clock.js';
import type { Logger } from '../../log/logger.js';
import { FirmataHal, type BoardStatus } from './firmata-hal.js';
import type { OpenIo } from './io.js';

export interface FirmataBoardsOptions {
  clock: Clock;
  log?: Logger;
  /** Opens a board's port; default firmata.js over serialport. The demo and tests pass mock boards. */
  openIo?: OpenIo;
  readyTimeoutMs?: number;
  reconnectFirstMs?: number;
  reconnectMaxMs?: number;
}

export class FirmataBoards {
  private readonly boards = new Map<string, FirmataHal>();

  constructor(private readonly o: FirmataBoardsOptions) {}

  /** The board on `port`, created and started on first use. */
  halFor(port: string): FirmataHal {
    let hal = this.boards.get(port);
    if (hal === undefined) {
      hal = new FirmataHal({ ...this.o, port });
      this.boards.set(port, hal);
      hal.start();
    }
    return hal;
  }

  /** Every board asked for so far, for the status page. */
  statuses(): BoardStatus[] {
    return [...this.boards.values()].map((b) => b.status());
  }

  /** Closes every board (after the devices on them stopped). */
  close(): void {
    for (const b of this.boards.values()) b.close();
    this.boards.clear();
  }
}
