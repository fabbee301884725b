/**
 * A digital output on a Pi GPIO. It is exported with direction 'high' or 'low', so the pin
 * comes up at its initial level without a glitch; read() returns the level it drives.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { DigitalOut, Level } from '../../../firmware/hal/pins.js';
import type { ExportedLine } from './exported-line.js';

export class OnoffDigitalOut implements DigitalOut {
  private state: 'open' | 'closed' = 'open';

  /** Takes over an exported output line; `closed` tells the HAL the pin is free again. */
  constructor(private readonly line: ExportedLine, private readonly closed: () => void) {}

  write(value: Level): void {
    this.assertOpen('write');
    if (value !== 0 && value !== 1) {
      throw halError('E_HAL_RANGE', this.line.pin, `digital output ${this.line.pin} takes 0 or 1, got ${String(value)}`);
    }
    this.line.gpio.writeSync(value);
  }

  read(): Level {
    this.assertOpen('read');
    return this.line.gpio.readSync();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    try {
      this.line.release();
    } finally {
      this.closed();
    }
  }

  private assertOpen(what: string): void {
    if (this.state === 'closed') {
      throw halError('E_HAL_CLOSED', this.line.pin, `${what} on digital output ${this.line.pin} after close()`);
    }
  }
}
