/**
 * What a running gateway says about itself, in one snapshot: the status page, `/metrics` and the
 * retained health message all read this, so the three never disagree. Times are wall ms where a
 * person reads them and ages in seconds where a rule compares them (ages survive a clock step).
 */
import type { DeviceKind, StateValue } from '../../firmware/devices/types.js';
import type { DropReason } from '../uplink/message-queue.js';
import type { LinkState } from '../uplink/mqtt-uplink.js';

export interface DeviceSnapshot {
  id: string;
  kind: DeviceKind;
  /** Seconds since the device was last heard; null before it ever was. */
  lastSeenAgeS: number | null;
  /** The controller's state as it reports it (lamp level and mode, occupancy, fill %, ...). */
  state: { [key: string]: StateValue };
  /** Faults open on the device (names of fault events not yet cleared). */
  faults: string[];
  /** Serial nodes only: the link to the node ('up', 'connecting', 'silent', 'down', ...). */
  link?: string;
}

export interface AlertSnapshot {
  /** Wall ms (or the monotonic time re-based once the clock is trusted). */
  time: number;
  device: string;
  name: string;
  severity: 'info' | 'alert' | 'fault';
  value: number;
  detail: string;
}

/** A few recent points of one device's metric, for the page's small plots. */
export interface SeriesSnapshot {
  device: string;
  metric: string;
  /** Wall ms and values, oldest first; bounded. */
  times: number[];
  values: number[];
}

export interface StatusSnapshot {
  site: string;
  gateway: string;
  version: string;
  epoch: number;
  /** Wall ms when this gateway process started, and seconds since (monotonic). */
  startedAt: number;
  uptimeS: number;
  clock: { wall: number; synced: boolean };
  devices: DeviceSnapshot[];
  /** Devices the site file named that could not start, with why. */
  failedDevices: Array<{ id: string; error: string }>;
  uplink: {
    state: LinkState;
    reconnects: number;
    sent: number;
    bytesSent: number;
    lastError: string;
    /** Wall ms the TLS client certificate ends; absent without one. */
    certificateValidTo?: number;
  };
  spool: {
    /** False when the spool could not be opened and batches wait in memory only. */
    durable: boolean;
    pending: number;
    bytes: number;
    /** Seconds the oldest waiting batch has waited; null when none waits. */
    oldestAgeS: number | null;
  };
  drops: Record<DropReason, number>;
  counters: {
    readings: number;
    events: number;
    alerts: number;
    batches: number;
    batchBytes: number;
    values: number;
    invalidReadings: number;
  };
  alerts: AlertSnapshot[];
  series: SeriesSnapshot[];
}

export interface StatusSource {
  snapshot(): StatusSnapshot;
  /** Called when something a reader would see changed (at most a few times a second); returns an unsubscribe. */
  onChange(listener: () => void): () => void;
}
