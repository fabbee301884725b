/**
 * Hosts the controllers of a site: opens each one on the HAL backend its transport names and
 * routes what it emits, tagged with the device id. A device that fails to start (a pin in use,
 * a backend that cannot reach its hardware) is reported and left out; the others run on.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hal, PinId } from '../../firmware/hal/pins.js';
import { createController } from '../../firmware/devices/create.js';
import type { Controller, DeviceKind, Location, Output, StateValue } from '../../firmware/devices/types.js';
import type { Logger } from '../log/logger.js';

/** The part of a site device the host needs (device-profiles' SiteDevice satisfies it). */
export interface HostedDeviceConfig {
  id: string;
  kind: DeviceKind;
  pins: { [role: string]: PinId };
  config: unknown;
  location: Location;
  reporting: { windowS: number };
  transport: { type: string };
}

export interface HostedDevice {
  id: string;
  kind: DeviceKind;
  controller: Controller;
  /** Monotonic ms of the last output, -1 before the first. */
  lastSeen: number;
}

export type DeviceStatus = { id: string; kind: DeviceKind; lastSeen: number; state: { [key: string]: StateValue } };

export class DeviceHost {
  private readonly hosted = new Map<string, HostedDevice>();
  readonly failed: Array<{ id: string; error: string }> = [];

  constructor(
    private readonly clock: Clock,
    private readonly halFor: (device: HostedDeviceConfig) => Hal,
    private readonly onOutput: (device: HostedDevice, output: Output) => void,
    private readonly log: Logger,
  ) {}

  start(devices: HostedDeviceConfig[]): void {
    for (const d of devices) {
      try {
        const entry: HostedDevice = { id: d.id, kind: d.kind, controller: undefined as unknown as Controller, lastSeen: -1 };
        entry.controller = createController(d.kind, {
          hal: this.halFor(d), clock: this.clock, pins: d.pins, config: d.config as never, location: d.location,
          emit: (output) => {
            entry.lastSeen = this.clock.now();
            this.onOutput(entry, output);
          },
        });
        entry.controller.start();
        this.hosted.set(d.id, entry);
      } catch (err) {
        const error = (err as Error).message;
        this.failed.push({ id: d.id, error });
        this.log.error('device.start-failed', { device: d.id, transport: d.transport.type, error });
      }
    }
  }

  get(id: string): HostedDevice | undefined {
    return this.hosted.get(id);
  }

  all(): HostedDevice[] {
    return [...this.hosted.values()];
  }

  statuses(): DeviceStatus[] {
    return this.all().map((d) => ({ id: d.id, kind: d.kind, lastSeen: d.lastSeen, state: d.controller.state() }));
  }

  stop(): void {
    for (const d of this.hosted.values()) {
      try {
        d.controller.stop();
      } catch (err) {
        this.log.error('device.stop-failed', { device: d.id, error: (err as Error).message });
      }
    }
    this.hosted.clear();
  }
}
