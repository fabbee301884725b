/**
 * The retained health message on `kerb/v1/<site>/<gateway>/status`: JSON, because operators
 * read it with any MQTT tool. 'online' is published on connect, on change and at a fixed period
 * (health-publisher.ts); 'offline' is the Last Will (an abrupt loss) and the clean-stop message.
 * It carries the spool's depth and the drop counts, so a gateway that had to drop data says so
 * upstream, and the devices with open faults, so a dashboard needs no other topic to show them.
 */
import type { DropReason } from '../uplink/message-queue.js';
import type { StatusSnapshot } from '../status/status-source.js';

/** What the device side says about itself; the service builds it from the StatusModel. */
export interface DeviceHealth {
  /** Devices running. */
  running: number;
  /** Devices the site file names that could not start. */
  failed: number;
  /** Devices with open faults, and the faults' names. */
  faults: Array<{ id: string; faults: string[] }>;
}

export interface HealthMessage {
  state: 'online' | 'offline';
  site: string;
  gateway: string;
  epoch: number;
  version: string;
  /** Wall time the process started (re-based on the monotonic uptime); null while the clock is not trusted. */
  startedAt: string | null;
  /** Whole seconds since the process started, monotonic. */
  uptimeS: number;
  clockSynced: boolean;
  spool: { pending: number; bytes: number; oldest: string | null };
  drops: Record<DropReason, number>;
  /** null when nothing reports on the devices (a bench, a test without a status model). */
  devices: { running: number; failed: number; faulty: number } | null;
  faults: Array<{ id: string; faults: string[] }>;
}

/** The device part of the health message from a status snapshot (or just its ids and faults). */
export function deviceHealthFrom(s: { devices: ReadonlyArray<Pick<StatusSnapshot['devices'][number], 'id' | 'faults'>>; failedDevices: readonly unknown[] }): DeviceHealth {
  return {
    running: s.devices.length,
    failed: s.failedDevices.length,
    faults: s.devices.filter((d) => d.faults.length > 0).map((d) => ({ id: d.id, faults: [...d.faults].sort() }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/**
 * What counts as a change worth publishing at once: everything but what moves by itself (the
 * uptime, the re-based start time) and the spool's depth, which flickers with every batch sent
 * on a healthy link; the depth goes out with the periodic message and with every change.
 */
export function healthFingerprint(m: HealthMessage): string {
  const { uptimeS: _uptime, startedAt: _started, spool: _spool, ...rest } = m;
  return JSON.stringify(rest);
}
