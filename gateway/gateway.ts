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
  /** The gateway this one replaces (a reload): its last seq and its held batches carry on. */
  handover?: GatewayHandover;
  /** Where held batches are kept while held, to outlive the process (state/held-for-clock.ts). */
  heldJournal?: HeldJournal;
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
  /** Batches waiting for the wall clock to be trusted (a Pi without RTC before NTP). */
  heldForClock: number;
  /** Held batches given up because the clock stayed untrusted longer than the hold bound. */
  droppedForClock: number;
}

/** A batch made while the wall clock was not trusted: times stay monotonic until it is. */
export interface HeldBatch {
  topic: string;
  cls: MessageClass;
  /** Closed windows with their device's kind (a reload may have removed the device since). */
  windows: Array<ReturnType<Aggregator['take']>[number] & { kind: HostedDeviceConfig['kind'] }>;
  events: PendingEvent[];
}

/** What a gateway hands the one that replaces it on a reload, so numbering and held data go on. */
export interface GatewayHandover {
  seq: number;
  held: HeldBatch[];
  /** Its counters, so /metrics and the status page count on across a reload instead of resetting. */
  stats?: GatewayStats;
}

/**
 * Told of every change to what is held, in order; the journal keeps the times as they are here
 * (monotonic). Its calls must not throw: a journal that cannot write says so and the gateway
 * goes on holding in memory.
 */
export interface HeldJournal {
  /** `batch` was held after the others; `all` is everything held now, `batch` last. */
  added(batch: HeldBatch, all: readonly HeldBatch[]): void;
  /** What is held changed otherwise (the oldest telemetry dropped past the bound): all of it now. */
  replaced(all: readonly HeldBatch[]): void;
  /** Nothing is held any more: everything went to the uplink. */
  cleared(): void;
}

/** A day of one-minute batches: beyond that the oldest telemetry goes (counted), alerts stay. */
const MAX_HELD_BATCHES = 1440;
const CLOCK_CHECK_MS = 5_000;

export interface PendingEvent {
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
  private readonly s: GatewayStats = {
    readings: 0, events: 0, alerts: 0, batches: 0, batchBytes: 0, values: 0, seq: 0, refused: 0, invalidReadings: 0, heldForClock: 0, droppedForClock: 0,
  };
  /**
   * Batches made before the wall clock was trusted. A Pi without an RTC boots in 1970; nothing
   * goes upstream stamped then: windows and events keep their monotonic times here and are
   * stamped (re-based) with the corrected clock once NTP has set it.
   */
  private held: HeldBatch[] = [];
  private clockCheck: TimerId | undefined;
  /** Invalid readings counted by the gateways this one replaced (the aggregator counts its own). */
  private invalidBefore = 0;

  private readonly kinds: Map<string, HostedDeviceConfig['kind']>;

  constructor(private readonly o: GatewayOptions) {
    this.kinds = new Map(o.devices.map((d) => [d.id, d.kind]));
    if (o.handover !== undefined) {
      // {gateway, epoch, seq} must never repeat: a reload goes on counting.
      this.seq = o.handover.seq;
      this.held = [...o.handover.held];
      const carried = o.handover.stats;
      if (carried !== undefined) {
        const { seq: _seq, heldForClock: _held, invalidReadings, ...counters } = carried;
        Object.assign(this.s, counters);
        this.invalidBefore = invalidReadings;
      }
    }
    this.aggregator = new Aggregator(o.clock);
    this.host = new DeviceHost(o.clock, o.halFor, (d, out) => this.ingest(d, out), o.log, { ...o.serial, gateway: o.gateway, epoch: o.epoch });
  }

  start(): void {
    for (const d of this.o.devices) this.aggregator.addDevice(d.id, METRICS_BY_KIND[d.kind], d.reporting.windowS * 1000);
    this.host.start(this.o.devices);
    this.timer = this.o.clock.setInterval(() => this.flush(), this.o.batchIntervalMs ?? 60_000);
    if (this.held.length > 0) this.clockCheck = this.o.clock.setInterval(() => this.releaseHeld(), CLOCK_CHECK_MS);
    this.o.log.info('gateway.started', {
      site: this.o.site, gateway: this.o.gateway, epoch: this.o.epoch,
      devices: this.host.all().length, failed: this.host.failed.length,
    });
  }

  /**
   * Stops the devices and sends what was accepted but not yet batched. `handingOver`: a reload,
   * whose next gateway takes what is held (handover()), or a stop whose held batches are in the
   * journal for the next process (state/held-for-clock.ts), so nothing is reported lost here.
   */
  stop(handingOver = false): void {
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
    if (this.clockCheck !== undefined) this.o.clock.clearTimer(this.clockCheck);
    this.clockCheck = undefined;
    if (this.held.length > 0 && !handingOver) {
      // Sending them stamped 1970 would be worse than saying plainly what is lost.
      this.o.log.error('clock.untrusted-at-stop', { batches: this.held.length, detail: 'the wall clock was never set: these batches could not be stamped and are not sent' });
    }
  }

  /**
   * After stop(): the numbering and what is still held for an untrusted clock, for the gateway
   * that replaces this one. Once handed over, this one no longer reports them as unsent.
   */
  handover(): GatewayHandover {
    const stats = this.stats();
    const held = this.held;
    this.held = [];
    return { seq: this.seq, held, stats };
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
    return { ...this.s, seq: this.seq, invalidReadings: this.invalidBefore + this.aggregator.nonFiniteCount(), heldForClock: this.held.length };
  }

  /** Sends closed windows and info events now (held, while the wall clock is not trusted). */
  flush(): void {
    const windows = this.aggregator.take().map((w) => ({ ...w, kind: this.kindOf(w.device) }));
    const events = this.pendingEvents;
    this.pendingEvents = [];
    if (windows.length > 0 || events.length > 0) this.emit({ topic: this.o.topics.batch, cls: 'telemetry', windows, events });
    this.releaseHeld();
  }

  /** Publishes `batch` if the clock is trusted, else holds it; either way after anything held before. */
  private emit(batch: HeldBatch): void {
    if (!this.o.clock.wallSynced()) {
      this.hold(batch);
      return;
    }
    if (this.held.length > 0) {
      this.held.push(batch); // goes out at once, behind the others: no journal entry needed
      this.releaseHeld();
      return;
    }
    this.publishBatch(batch);
  }

  private hold(batch: HeldBatch): void {
    // NTP may answer any second: look every few seconds rather than wait for the next batch.
    if (this.clockCheck === undefined) this.clockCheck = this.o.clock.setInterval(() => this.releaseHeld(), CLOCK_CHECK_MS);
    if (this.held.length === 0) this.o.log.warn('clock.untrusted', { detail: 'the wall clock is not set yet (no RTC, no NTP): batches are held and stamped once it is' });
    this.held.push(batch);
    const oldest = this.held.length > MAX_HELD_BATCHES ? this.held.findIndex((b) => b.cls === 'telemetry') : -1;
    if (oldest < 0) {
      this.o.heldJournal?.added(batch, this.held);
      return;
    }
    this.held.splice(oldest, 1);
    this.s.droppedForClock++;
    this.o.heldJournal?.replaced(this.held);
  }

  /** Once the clock is trusted, what was held goes out in order, stamped with the corrected time. */
  private releaseHeld(): void {
    if (this.held.length === 0 || !this.o.clock.wallSynced()) return;
    const held = this.held;
    this.held = [];
    if (this.clockCheck !== undefined) this.o.clock.clearTimer(this.clockCheck);
    this.clockCheck = undefined;
    this.o.log.info('clock.trusted', { released: held.length, wall: new Date(this.o.clock.wallTime()).toISOString() });
    for (const b of held) this.publishBatch(b);
    // In the spool now (durably, or in memory where it has none): the journal's part is done.
    this.o.heldJournal?.cleared();
  }

  private publishBatch(b: HeldBatch): void {
    const series: SeriesInput[] = b.windows.map((c) => ({
      device: c.device, kind: c.kind, metric: c.metric,
      start: wallAt(this.o.clock, c.start), end: wallAt(this.o.clock, c.end), stats: c.stats,
    }));
    this.publish(b.topic, series, b.events.map((e) => this.stamp(e)), b.cls);
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
    this.alert(pending, output);
  }

  private stamp(e: PendingEvent): EventInput {
    return { device: e.device, kind: e.kind, time: wallAt(this.o.clock, e.event.time), event: e.event };
  }

  private alert(pending: PendingEvent, output: DeviceEvent): void {
    this.s.alerts++;
    this.s.lastAlert = { device: pending.device, name: output.name, value: output.value, time: wallAt(this.o.clock, output.time) };
    this.o.log.warn('device.alert', { device: pending.device, name: output.name, severity: output.severity, value: output.value, detail: output.detail });
    // An alert waits for a trusted clock like the rest: it cannot leave before the uplink
    // (which needs the network NTP needs too) and must not leave stamped 1970.
    this.emit({ topic: this.o.topics.alert, cls: 'alert', windows: [], events: [pending] });
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
