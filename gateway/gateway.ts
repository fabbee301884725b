/**
 * The gateway pipeline: hosted controllers -> aggregation windows -> CBOR batches -> uplink.
 * Alerts and faults skip the windows and go out at once on the alert topic, in the same batch
 * format with their own sequence number, so one decoder and one de-duplication rule serve both.
 */
import type { Clock, TimerId } from '../firmware/hal/clock.js';
import type { Hal } from '../firmware/hal/pins.js';
import { METRICS_BY_KIND } from '../firmware/devices/create.js';
import type { Command, CommandResult, DeviceEvent, Output } from '../firmware/devices/types.js';
import { Aggregator } from './aggregate/aggregator.js';
import { encodeBatch, type BatchCompression, type EventInput, type SeriesInput } from './batch/encode.js';
import { valuesInSeries } from './batch/format.js';
import { wallAt } from './clock/wall.js';
import { DeviceHost, type DeviceStatus, type HostedDevice, type HostedDeviceConfig, type SerialNodeSettings } from './host/device-host.js';
import type { Logger } from './log/logger.js';
import type { SerialNodeStats } from './node/serial-node.js';
import type { MessageClass } from './uplink/message-queue.js';
import type { Topics } from './uplink/topics.js';

/** What the gateway needs of an uplink; MqttUplink provides it. */
export interface BatchSink {
  send(topic: string, payload: Buffer, cls: MessageClass): boolean;
}

export interface GatewayOptions {
  site: string;
  gateway: string;
  devices: HostedDeviceConfig[];
  /** The HAL a hosted device's controller runs on (not asked for serial nodes). */
  halFor: (device: HostedDeviceConfig) => Hal;
  /** HAL backends the gateway owns (an OnoffHal): closed by stop() after the devices, releasing every pin. */
  backends?: Array<{ close(): void }>;
  /** How devices on a serial transport (Kerb nodes) are driven: the port opener and more. */
  serial?: SerialNodeSettings;
  clock: Clock;
  sink: BatchSink;
  topics: Topics;
  epoch: number;
  log: Logger;
  /** How often closed windows and info events are sent; default 60 s. */
  batchIntervalMs?: number;
  /** 'deflate' sends batch bodies compressed (docs/batch-format.md); default plain CBOR. */
  compression?: BatchCompression;
  /** The uplink's drop counts by reason; reported in the next batch whenever they change. */
  drops?: () => Record<string, number>;
  /** Called after a batch carried changed drop counts (the uplink refreshes its status). */
  onDropsReported?: () => void;
}

export interface GatewayStats {
  readings: number;
  events: number;
  alerts: number;
  batches: number;
  batchBytes: number;
  /** Numbers carried in batches (statistics and event values). */
  values: number;
  seq: number;
  lastAlert?: { device: string; name: string; value: number; time: number };
  /** Batches the uplink refused (its drop counters say why). */
  refused: number;
  /** Readings dropped because their value or time was not a finite number. */
  invalidReadings: number;
}

interface PendingEvent {
  device: string;
  kind: HostedDeviceConfig['kind'];
  event: DeviceEvent;
}

export type OutputListener = (device: HostedDevice, output: Output) => void;

export class Gateway {
  private readonly host: DeviceHost;
  private readonly aggregator: Aggregator;
  /** Info events waiting for the next batch, with monotonic times: converted to wall time only
   * when published, so an event seen before NTP set the clock is stamped with the corrected time. */
  private pendingEvents: PendingEvent[] = [];
  private seq = 0;
  private reportedDrops = '{}';
  private timer: TimerId | undefined;
  private listeners: OutputListener[] = [];
  private readonly s: GatewayStats = { readings: 0, events: 0, alerts: 0, batches: 0, batchBytes: 0, values: 0, seq: 0, refused: 0, invalidReadings: 0 };

  private readonly kinds: Map<string, HostedDeviceConfig['kind']>;

  constructor(private readonly o: GatewayOptions) {
    this.kinds = new Map(o.devices.map((d) => [d.id, d.kind]));
    this.aggregator = new Aggregator(o.clock);
    this.host = new DeviceHost(o.clock, o.halFor, (d, out) => this.ingest(d, out), o.log, { ...o.serial, gateway: o.gateway, epoch: o.epoch });
  }

  start(): void {
    for (const d of this.o.devices) this.aggregator.addDevice(d.id, METRICS_BY_KIND[d.kind], d.reporting.windowS * 1000);
    this.host.start(this.o.devices);
    this.timer = this.o.clock.setInterval(() => this.flush(), this.o.batchIntervalMs ?? 60_000);
    this.o.log.info('gateway.started', {
      site: this.o.site, gateway: this.o.gateway, epoch: this.o.epoch,
      devices: this.host.all().length, failed: this.host.failed.length,
    });
  }

  /** Stops the devices and sends what was accepted but not yet batched. */
  stop(): void {
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.host.stop();
    for (const backend of this.o.backends ?? []) {
      try {
        backend.close();
      } catch (err) {
        this.o.log.error('backend.close-failed', { error: (err as Error).message });
      }
    }
    this.aggregator.flushAll();
    this.aggregator.stop();
    this.flush();
  }

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  command(deviceId: string, cmd: Command): CommandResult {
    const d = this.host.get(deviceId);
    if (d === undefined) return { ok: false, code: 'E_CMD_DEVICE', message: `no device '${deviceId}' on this gateway` };
    return d.controller.command(cmd);
  }

  devices(): DeviceStatus[] {
    return this.host.statuses();
  }

  /** Link statistics of every serial node, for the status page. */
  nodeStats(): Array<{ id: string } & SerialNodeStats> {
    return this.host.serialNodes().map(({ id, node }) => ({ id, ...node.stats() }));
  }

  failedDevices(): Array<{ id: string; error: string }> {
    return this.host.failed;
  }

  stats(): GatewayStats {
    return { ...this.s, seq: this.seq, invalidReadings: this.aggregator.nonFiniteCount() };
  }

  /** Sends closed windows and info events now. */
  flush(): void {
    const series: SeriesInput[] = this.aggregator.take().map((c) => ({
      device: c.device, kind: this.kindOf(c.device), metric: c.metric,
      start: wallAt(this.o.clock, c.start), end: wallAt(this.o.clock, c.end), stats: c.stats,
    }));
    const events = this.pendingEvents.map((e) => this.stamp(e));
    this.pendingEvents = [];
    if (series.length === 0 && events.length === 0) return;
    this.publish(this.o.topics.batch, series, events, 'telemetry');
  }

  private kindOf(id: string): HostedDeviceConfig['kind'] {
    return this.kinds.get(id)!;
  }

  private ingest(device: HostedDevice, output: Output): void {
    for (const l of this.listeners) l(device, output);
    if (output.type === 'reading') {
      this.s.readings++;
      this.aggregator.add(device.id, output);
      return;
    }
    this.s.events++;
    const pending: PendingEvent = { device: device.id, kind: device.kind, event: output };
    if (output.severity === 'info') {
      this.pendingEvents.push(pending);
      return;
    }
    this.alert(this.stamp(pending), output);
  }

  private stamp(e: PendingEvent): EventInput {
    return { device: e.device, kind: e.kind, time: wallAt(this.o.clock, e.event.time), event: e.event };
  }

  private alert(event: EventInput, output: DeviceEvent): void {
    this.s.alerts++;
    this.s.lastAlert = { device: event.device, name: output.name, value: output.value, time: event.time };
    this.o.log.warn('device.alert', { device: event.device, name: output.name, severity: output.severity, value: output.value, detail: output.detail });
    this.publish(this.o.topics.alert, [], [event], 'alert');
  }

  private publish(topic: string, series: SeriesInput[], events: EventInput[], cls: MessageClass): void {
    this.seq++;
    const drops = this.changedDrops();
    const payload = encodeBatch({
      gateway: this.o.gateway, site: this.o.site, epoch: this.o.epoch, seq: this.seq,
      series, events, now: this.o.clock.wallTime(), ...(drops ? { drops } : {}),
    }, { compression: this.o.compression ?? 'none' });
    this.s.batches++;
    this.s.batchBytes += payload.length;
    this.s.values += countValues(series) + events.length;
    if (!this.o.sink.send(topic, payload, cls)) this.s.refused++;
    if (drops) this.o.onDropsReported?.();
  }

  /** The drop counts if any changed since the last batch that carried them. */
  private changedDrops(): Record<string, number> | undefined {
    const now = this.o.drops?.();
    if (now === undefined) return undefined;
    const nonZero = Object.fromEntries(Object.entries(now).filter(([, n]) => n > 0));
    const key = JSON.stringify(nonZero);
    if (key === this.reportedDrops) return undefined;
    this.reportedDrops = key;
    return nonZero;
  }
}

function countValues(series: SeriesInput[]): number {
  let n = 0;
  for (const s of series) n += valuesInSeries(s.stats.kind, s.stats.kind === 'state' ? s.stats.durations.filter(([, ms]) => Math.round(ms) > 0).length : 0);
  return n;
}
