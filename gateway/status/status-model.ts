/**
 * The StatusSource of a running gateway, built from its pieces: the Gateway (devices, counters,
 * failed devices, serial node links, and every output as it happens), the uplink's statistics
 * and the clock. The status page, /metrics and the health message read its snapshot.
 *
 * What it keeps, all bounded for a gateway that runs for years:
 * - the last `maxAlerts` (default 50) events of severity 'alert' or 'fault', oldest first;
 * - open faults per device (open-faults.ts states the rule);
 * - for the plotted metrics of each kind (PLOTTED_METRICS: lamp level, parking occupancy, bin
 *   fill) a ring of the last `maxPoints` (default 120) readings per device, a point added only
 *   when the value differs from the previous one (a held value needs no repeats to be drawn).
 * Times are kept monotonic and turned into wall time when a snapshot is taken, so whatever was
 * seen before NTP set the clock is shown at its corrected time.
 *
 * onChange listeners hear about new outputs at most once per `minChangeMs` (default 500 ms) of the
 * injected clock, and every `refreshMs` (default 5 s) regardless, so ages and link state move on a
 * quiet street. Listeners are never called inside a device's emit: always from a clock timer.
 */
import type { DeviceKind, Output } from '../../firmware/devices/types.js';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import { wallAt } from '../clock/wall.js';
import type { GatewayStats, OutputListener } from '../gateway.js';
import { deviceHealthFrom, type DeviceHealth } from '../health/health-message.js';
import type { DeviceStatus } from '../host/device-host.js';
import type { SerialNodeStats } from '../node/serial-node.js';
import { noDrops } from '../uplink/message-queue.js';
import type { UplinkStats } from '../uplink/mqtt-uplink.js';
import { OpenFaults } from './open-faults.js';
import { SeriesRing } from './series-ring.js';
import type { AlertSnapshot, DeviceSnapshot, SeriesSnapshot, StatusSnapshot, StatusSource } from './status-source.js';

/** The metrics drawn on the page, per device kind. */
export const PLOTTED_METRICS: { [K in DeviceKind]: readonly string[] } = {
  lamp: ['level'],
  parking: ['occupied'],
  bin: ['fill'],
};

/** What the model reads of a Gateway (the Gateway class provides it; tests may fake it). */
export interface StatusGateway {
  devices(): DeviceStatus[];
  stats(): GatewayStats;
  failedDevices(): Array<{ id: string; error: string }>;
  nodeStats(): Array<{ id: string } & SerialNodeStats>;
  onOutput(listener: OutputListener): void;
}

export interface StatusModelOptions {
  gateway: StatusGateway;
  /** The uplink's statistics now (MqttUplink.stats); undefined before the uplink exists (shown as 'idle'). */
  uplink: () => UplinkStats | undefined;
  /** False when batches wait in memory only (the spool could not be opened); a function when it is known later. */
  durable: boolean | (() => boolean);
  site: string;
  gatewayId: string;
  version: string;
  epoch: number;
  clock: Clock;
  maxAlerts?: number;
  maxPoints?: number;
  minChangeMs?: number;
  refreshMs?: number;
}

interface KeptAlert {
  mono: number;
  device: string;
  name: string;
  severity: AlertSnapshot['severity'];
  value: number;
  detail: string;
}

const MAX_DETAIL = 200;
const NO_UPLINK: UplinkStats = {
  state: 'idle', protocolVersion: 5, pending: 0, inflight: 0, queuedBytes: 0, oldest: undefined, sent: 0, bytesSent: 0,
  reconnects: 0, drops: noDrops(), lastError: '', nextRetryInMs: 0, certificateValidTo: undefined,
};

export class StatusModel implements StatusSource {
  private readonly alerts: KeptAlert[] = [];
  private readonly faults = new OpenFaults();
  private readonly series = new Map<string, { device: string; metric: string; ring: SeriesRing }>();
  private readonly listeners = new Set<() => void>();
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private startedMono = 0;
  private lastNotified = -Infinity;
  private pending: TimerId | undefined;
  private refresher: TimerId | undefined;

  constructor(private readonly o: StatusModelOptions) {}

  /** Starts listening to the gateway's outputs: call it before the gateway starts, to miss nothing. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.startedMono = this.o.clock.now();
    this.o.gateway.onOutput((device, output) => {
      if (this.state === 'running') this.take(device.id, device.kind, output);
    });
    this.refresher = this.o.clock.setInterval(() => this.notify(), this.o.refreshMs ?? 5_000);
  }

  /** Stops timers and listening; the gateway offers no unsubscribe, so outputs are ignored from now on. */
  stop(): void {
    this.state = 'stopped';
    if (this.pending !== undefined) this.o.clock.clearTimer(this.pending);
    if (this.refresher !== undefined) this.o.clock.clearTimer(this.refresher);
    this.pending = undefined;
    this.refresher = undefined;
  }

  onChange(listener: () => void): () => void {
    const own = (): void => listener(); // one registration per call, even for the same function
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  /**
   * The device part of the health message: what deviceHealthFrom(snapshot()) says, without
   * reading every plot, which the health publisher would otherwise do every second.
   */
  deviceHealth(): DeviceHealth {
    const devices = this.o.gateway.devices().map((d) => ({ id: d.id, faults: this.faults.of(d.id, d.state) }));
    this.faults.retain(new Set(devices.map((d) => d.id)));
    return deviceHealthFrom({ devices, failedDevices: this.o.gateway.failedDevices() });
  }

  snapshot(): StatusSnapshot {
    const clock = this.o.clock;
    const now = clock.now();
    const toWall = (mono: number): number => wallAt(clock, mono);
    const links = new Map(this.o.gateway.nodeStats().map((n) => [n.id, n.link]));
    const devices: DeviceSnapshot[] = this.o.gateway.devices().map((d) => {
      const link = links.get(d.id);
      return {
        id: d.id, kind: d.kind, state: d.state, faults: this.faults.of(d.id, d.state),
        lastSeenAgeS: d.lastSeen < 0 ? null : Math.round((now - d.lastSeen) / 100) / 10,
        ...(link !== undefined ? { link } : {}),
      };
    });
    const present = new Set(devices.map((d) => d.id));
    this.faults.retain(present); // a device removed by a reload leaves nothing behind
    const up = this.o.uplink() ?? NO_UPLINK;
    const g = this.o.gateway.stats();
    const oldestAgeS = up.oldest !== undefined && up.oldest > 0 && clock.wallSynced()
      ? Math.max(0, Math.round((clock.wallTime() - up.oldest) / 1000)) : null;
    const series: SeriesSnapshot[] = [];
    for (const [key, s] of this.series) {
      if (present.has(s.device)) series.push({ device: s.device, metric: s.metric, ...s.ring.read(toWall) });
      else this.series.delete(key);
    }
    return {
      site: this.o.site, gateway: this.o.gatewayId, version: this.o.version, epoch: this.o.epoch,
      startedAt: toWall(this.startedMono), uptimeS: Math.round((now - this.startedMono) / 1000),
      clock: { wall: clock.wallTime(), synced: clock.wallSynced() },
      devices,
      failedDevices: this.o.gateway.failedDevices().map((f) => ({ id: f.id, error: f.error })),
      uplink: {
        state: up.state, reconnects: up.reconnects, sent: up.sent, bytesSent: up.bytesSent, lastError: up.lastError,
        ...(up.certificateValidTo !== undefined ? { certificateValidTo: up.certificateValidTo } : {}),
      },
      spool: { durable: typeof this.o.durable === 'function' ? this.o.durable() : this.o.durable, pending: up.pending + up.inflight, bytes: up.queuedBytes, oldestAgeS },
      drops: { ...noDrops(), ...up.drops },
      counters: {
        readings: g.readings, events: g.events, alerts: g.alerts, batches: g.batches,
        batchBytes: g.batchBytes, values: g.values, invalidReadings: g.invalidReadings,
      },
      alerts: this.alerts.map((a) => ({
        time: toWall(a.mono), device: a.device, name: a.name, severity: a.severity, value: a.value, detail: a.detail,
      })),
      series,
    };
  }

  private take(device: string, kind: DeviceKind, output: Output): void {
    if (output.type === 'reading') {
      if (PLOTTED_METRICS[kind]?.includes(output.metric) && Number.isFinite(output.value)) this.plot(device, output.metric, output.time, output.value);
    } else {
      this.faults.event(device, output.name, output.severity);
      if (output.severity !== 'info') {
        this.alerts.push({
          mono: output.time, device, name: output.name, severity: output.severity, value: output.value,
          detail: output.detail.length > MAX_DETAIL ? output.detail.slice(0, MAX_DETAIL - 1) + '\u2026' : output.detail,
        });
        if (this.alerts.length > (this.o.maxAlerts ?? 50)) this.alerts.shift();
      }
    }
    this.changed();
  }

  private plot(device: string, metric: string, time: number, value: number): void {
    const key = `${device}\u0000${metric}`;
    let s = this.series.get(key);
    if (s === undefined) {
      s = { device, metric, ring: new SeriesRing(this.o.maxPoints ?? 120) };
      this.series.set(key, s);
    }
    if (s.ring.last() !== value) s.ring.push(time, value);
  }

  /** Something a reader would see changed: tell the listeners soon, at most once per minChangeMs. */
  private changed(): void {
    if (this.pending !== undefined || this.listeners.size === 0) return;
    const wait = Math.max(0, this.lastNotified + (this.o.minChangeMs ?? 500) - this.o.clock.now());
    this.pending = this.o.clock.setTimeout(() => {
      this.pending = undefined;
      this.notify();
    }, wait);
  }

  private notify(): void {
    this.lastNotified = this.o.clock.now();
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A listener's failure is its own (the server logs its errors); the others still hear.
      }
    }
  }
}
