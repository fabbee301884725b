/**
 * Which HAL a hosted device runs on, from its site-file transport, so any profile can be
 * attached to any backend: `gpio` shares one onoff backend (the Pi has one header), `firmata`
 * one johnny-five backend per port (several devices may share an Arduino), `mock` whatever the
 * caller simulates. `serial` devices are nodes (gateway/node/), never asked for here. The
 * backends are created on first use, so a site without GPIO never loads onoff, and closed
 * together (Gateway `backends`), releasing every pin.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hal } from '../../firmware/hal/pins.js';
import type { HostedDeviceConfig } from '../host/device-host.js';
import type { Logger } from '../log/logger.js';
import { FirmataBoards, type FirmataBoardsOptions } from './firmata/firmata-boards.js';
import { OnoffHal, type OnoffHalOptions } from './onoff/onoff-hal.js';

export interface SiteBackendsOptions {
  clock: Clock;
  log?: Logger;
  /** The simulated pins of `mock` devices; without it a mock device does not start. */
  mock?: (device: HostedDeviceConfig) => Hal;
  /** onoff settings (an injected Gpio in tests, the sysfs offset). */
  gpio?: Omit<OnoffHalOptions, 'clock' | 'log'>;
  /** johnny-five settings (mock boards in the demo and tests). */
  firmata?: Omit<FirmataBoardsOptions, 'clock' | 'log'>;
}

export class SiteBackends {
  private gpio: OnoffHal | undefined;
  private firmata: FirmataBoards | undefined;

  constructor(private readonly o: SiteBackendsOptions) {}

  /** The HAL for `device`; throws (the device is reported as not started) when there is none. */
  halFor(device: HostedDeviceConfig): Hal {
    const t = device.transport as { type: string; port?: string };
    if (t.type === 'gpio') return (this.gpio ??= new OnoffHal({ clock: this.o.clock, ...(this.o.log ? { log: this.o.log } : {}), ...this.o.gpio }));
    if (t.type === 'firmata') {
      if (t.port === undefined) throw new Error(`device ${device.id}: a firmata transport needs a port`);
      this.firmata ??= new FirmataBoards({ clock: this.o.clock, ...(this.o.log ? { log: this.o.log } : {}), ...this.o.firmata });
      return this.firmata.halFor(t.port);
    }
    if (t.type === 'mock') {
      if (this.o.mock === undefined) throw new Error(`device ${device.id}: mock pins exist only in the demo and the tests`);
      return this.o.mock(device);
    }
    throw new Error(`device ${device.id}: transport '${t.type}' is not hosted on pins (serial devices are nodes)`);
  }

  close(): void {
    this.gpio?.close();
    this.firmata?.close();
  }
}
