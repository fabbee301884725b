/**
 * A digital input on a Pi GPIO: onoff watches both edges (an epoll interrupt on the sysfs value
 * file) and every level it reports goes through the Kerb debounce on the injected clock
 * (../edge-debounce.ts), never onoff's own debounceTimeout, which runs on real timers and would
 * make tests inexact and the semantics differ from the other backends. read() is the raw level.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { Clock } from '../../../firmware/hal/clock.js';
import type { DigitalIn, DigitalInOptions, Level } from '../../../firmware/hal/pins.js';
import type { Logger } from '../../log/logger.js';
import { EdgeDebouncer } from '../edge-debounce.js';
import type { ExportedLine } from './exported-line.js';
import type { ValueCallback } from './gpio-api.js';

export class OnoffDigitalIn implements DigitalIn {
  private state: 'open' | 'closed' = 'open';
  private readonly debouncer: EdgeDebouncer;
  private readonly listener: ValueCallback;

  /** Takes over an exported input line; `closed` tells the HAL the pin is free again. */
  constructor(private readonly line: ExportedLine, clock: Clock, options: DigitalInOptions, log: Logger, private readonly closed: () => void) {
    this.debouncer = new EdgeDebouncer(clock, options, line.gpio.readSync());
    this.listener = (err, value) => {
      if (this.state === 'closed') return;
      if (err) {
        log.warn('gpio.watch-error', { pin: line.pin, gpio: line.number, error: err.message });
        return;
      }
      this.debouncer.change(value);
    };
    line.gpio.watch(this.listener);
  }

  read(): Level {
    this.assertOpen('read');
    return this.line.gpio.readSync();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.debouncer.close();
    try {
      this.line.release();
    } finally {
      this.closed();
    }
  }

  private assertOpen(what: string): void {
    if (this.state === 'closed') {
      throw halError('E_HAL_CLOSED', this.line.pin, `${what} on digital input ${this.line.pin} after close()`);
    }
  }
}
