/**
 * Hosts the controllers of a site: opens each one on the HAL backend its transport names and
 * routes what it emits, tagged with the device id. A device on a serial transport is a Kerb
 * node: it gets a SerialNode driver instead, which is a Controller too, so everything past this
 * point (aggregation, batches, commands, status) treats both alike. A device that fails to start
 * (a pin in use, a backend that cannot reach its hardware) is reported and left out; the others
 * run on. A serial node whose port is missing does start: its driver keeps trying the port.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hal, PinId } from '../../firmware/hal/pins.js';
import { createController } from '../../firmware/devices/create.js';
import type { Controller, DeviceKind, Emit, Location, Output, StateValue } from '../../firmware/devices/types.js';
import type { Logger } from '../log/logger.js';
import type { SerialOpener } from '../node/serial-line.js';
import { SerialNode } from '../node/serial-node.js';
import { profileHash } from '../../device-profiles/profile-hash.js';

/** The part of a site device the host needs (device-profiles' SiteDevice satisfies it). */
export interface HostedDeviceConfig {
  id: string;
  kind: DeviceKind;
  pins: { [role: string]: PinId };
  config: unknown;
  location: Location;
  reporting: { windowS: number };
  transport: { type: string; port?: string; baud?: number };
}

/** How serial nodes are driven; every field but the gateway's identity is optional. */
export interface SerialNodeSettings {
  /** Opens a node's port; default serialport's SerialPort. Tests pass @serialport/binding-mock. */
  open?: SerialOpener;
  /** The profile hash the node must report; default: the hash of the device's kind, pins and config; undefined: not checked. */
  profileHashFor?: (device: HostedDeviceConfig) => string | undefined;
  /** Nothing heard from a node this long means 'silent'; default 90 s. */
  silentAfterMs?: number;
}

/** What the host needs to drive serial nodes: the gateway's hello, and the settings. */
export interface SerialHosting extends SerialNodeSettings {
  gateway: string;
  epoch: number;
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
    private readonly serial?: SerialHosting,
  ) {}

  start(devices: HostedDeviceConfig[]): void {
    for (const d of devices) {
      try {
        const entry: HostedDevice = { id: d.id, kind: d.kind, controller: undefined as unknown as Controller, lastSeen: -1 };
        const emit: Emit = (output) => {
          entry.lastSeen = this.clock.now();
          this.onOutput(entry, output);
        };
        entry.controller = d.transport.type === 'serial'
          ? this.serialNode(d, emit)
          : createController(d.kind, { hal: this.halFor(d), clock: this.clock, pins: d.pins, config: d.config as never, location: d.location, emit });
        entry.controller.start();
        this.hosted.set(d.id, entry);
      } catch (err) {
        const error = (err as Error).message;
        this.failed.push({ id: d.id, error });
        this.log.error('device.start-failed', { device: d.id, transport: d.transport.type, error });
      }
    }
  }

  /** The drivers of the site's serial nodes, for their link statistics. */
  serialNodes(): Array<{ id: string; node: SerialNode }> {
    return this.all().flatMap((d) => (d.controller instanceof SerialNode ? [{ id: d.id, node: d.controller }] : []));
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

  private serialNode(d: HostedDeviceConfig, emit: Emit): SerialNode {
    const s = this.serial;
    if (s === undefined) throw new Error(`device ${d.id} is a serial node, and this host was not given the gateway's serial settings`);
    // By default the node must run exactly the site file's configuration for this device.
    const expected = s.profileHashFor ? s.profileHashFor(d) : profileHash(d);
    return new SerialNode({
      device: d, clock: this.clock, emit, log: this.log, gateway: s.gateway, epoch: s.epoch,
      ...(s.open ? { open: s.open } : {}),
      ...(expected !== undefined ? { expectedProfileHash: expected } : {}),
      ...(s.silentAfterMs !== undefined ? { silentAfterMs: s.silentAfterMs } : {}),
    });
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
