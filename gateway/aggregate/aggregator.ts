/**
 * Per-device windows over monotonic time. Each device closes its window on its own period (its
 * profile's reporting.windowS); closed windows wait in `ready` until the batcher takes them.
 * Only readings are aggregated: events are passed on by the caller as they happen.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { MetricSpec, Reading } from '../../firmware/devices/types.js';
import { MetricWindow, type WindowStats } from './metric-window.js';

export interface ClosedSeries {
  device: string;
  metric: MetricSpec;
  /** Monotonic ms of the window's start and end. */
  start: number;
  end: number;
  stats: WindowStats;
}

interface DeviceWindows {
  specs: Map<string, MetricSpec>;
  windowMs: number;
  start: number;
  metrics: Map<string, MetricWindow>;
  timer: TimerId;
}

export class Aggregator {
  private devices = new Map<string, DeviceWindows>();
  private ready: ClosedSeries[] = [];
  private unknownMetrics = 0;
  private nonFinite = 0;

  constructor(private readonly clock: Clock) {}

  addDevice(device: string, specs: MetricSpec[], windowMs: number): void {
    if (this.devices.has(device)) throw new Error(`device ${device} is already aggregated`);
    const entry: DeviceWindows = {
      specs: new Map(specs.map((s) => [s.name, s])),
      windowMs,
      start: this.clock.now(),
      metrics: new Map(),
      timer: 0,
    };
    entry.timer = this.clock.setInterval(() => this.closeWindow(device, entry), windowMs);
    this.devices.set(device, entry);
  }

  add(device: string, reading: Reading): void {
    if (!Number.isFinite(reading.value) || !Number.isFinite(reading.time)) {
      this.nonFinite++; // one NaN from a faulty sensor must not poison a whole batch
      return;
    }
    const entry = this.devices.get(device);
    const spec = entry?.specs.get(reading.metric);
    if (entry === undefined || spec === undefined) {
      this.unknownMetrics++;
      return;
    }
    // A state is one of its numbered states: 0.5 or -1 would make a batch consumers refuse.
    if (spec.kind === 'state' && !(Number.isInteger(reading.value) && reading.value >= 0)) {
      this.nonFinite++;
      return;
    }
    let window = entry.metrics.get(reading.metric);
    if (window === undefined) {
      window = new MetricWindow(spec, entry.start);
      entry.metrics.set(reading.metric, window);
    }
    // A reading measured just before the window turned over still belongs to the open window.
    window.add(reading.value, Math.max(reading.time, entry.start));
  }

  /** Takes every window closed so far, oldest first. */
  take(): ClosedSeries[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Closes every open window now (used at shutdown so nothing accepted is lost). */
  flushAll(): void {
    for (const [device, entry] of this.devices) this.closeWindow(device, entry);
  }

  /** Readings for metrics the device did not declare: a controller bug, counted not crashed on. */
  unknownMetricCount(): number {
    return this.unknownMetrics;
  }

  /** Readings whose value or time was NaN or infinite, or a state that is not a state number, dropped and counted. */
  nonFiniteCount(): number {
    return this.nonFinite;
  }

  stop(): void {
    for (const entry of this.devices.values()) this.clock.clearTimer(entry.timer);
  }

  private closeWindow(device: string, entry: DeviceWindows): void {
    const end = this.clock.now();
    if (end <= entry.start) return;
    const next = new Map<string, MetricWindow>();
    for (const [name, window] of entry.metrics) {
      const stats = window.close(end);
      if (stats !== undefined) this.ready.push({ device, metric: window.spec, start: entry.start, end, stats });
      const carried = window.carried();
      if (carried !== undefined) next.set(name, new MetricWindow(window.spec, end, carried));
    }
    entry.metrics = next;
    entry.start = end;
  }
}
