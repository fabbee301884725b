/**
 * Builds the wire batch from closed windows and events and encodes it as plain CBOR.
 * Numbers are scaled to integers per metric (CBOR writes small integers in 1–3 bytes where a
 * float takes 5–9), times are relative to one base time per batch.
 */
import type { DeviceEvent, DeviceKind, MetricSpec } from '../../firmware/devices/types.js';
import type { WindowStats } from '../aggregate/metric-window.js';
import { encodeCbor } from './cbor.js';
import { BATCH_VERSION, type WireBatch, type WireEvent, type WireMetric, type WireSeries } from './format.js';

export interface SeriesInput {
  device: string;
  kind: DeviceKind;
  metric: MetricSpec;
  /** Wall ms. */
  start: number;
  end: number;
  stats: WindowStats;
}

export interface EventInput {
  device: string;
  kind: DeviceKind;
  /** Wall ms. */
  time: number;
  event: DeviceEvent;
}

export interface BatchInput {
  gateway: string;
  site: string;
  epoch: number;
  seq: number;
  series: SeriesInput[];
  events: EventInput[];
  /** Used as the base time when the batch carries nothing else. */
  now: number;
  /** Drop counts to report (totals by reason), when they changed since the last report. */
  drops?: { [reason: string]: number };
}

export function scaled(value: number, scale: number): number {
  const v = Math.round(value * 10 ** scale);
  // The aggregator drops non-finite readings; reaching here is a bug that would make the whole
  // batch undecodable, so fail loudly where it is made rather than where it is read.
  if (!Number.isFinite(v)) throw new RangeError(`cannot encode ${value} at scale ${scale}: not a finite number`);
  return v;
}

function baseTime(input: BatchInput): number {
  let t = Infinity;
  for (const s of input.series) t = Math.min(t, s.start);
  for (const e of input.events) t = Math.min(t, e.time);
  return t === Infinity ? input.now : t;
}

function stats(s: SeriesInput): WireSeries {
  const k = s.metric.scale;
  const st = s.stats;
  switch (st.kind) {
    case 'gauge':
    case 'level':
      return [st.n, scaled(st.min, k), scaled(st.max, k), scaled(st.mean, k), scaled(st.last, k)];
    case 'count':
      return [st.n, scaled(st.sum, k)];
    case 'state':
      return [st.n, st.last, st.durations.map(([state, ms]) => [state, Math.round(ms)] as [number, number])];
  }
}

export function buildBatch(input: BatchInput): WireBatch {
  const t = baseTime(input);
  const deviceIndex = new Map<string, number>();
  const metricIndex = new Map<string, number>();
  const batch: WireBatch = {
    v: BATCH_VERSION, gateway: input.gateway, site: input.site, epoch: input.epoch, seq: input.seq, t,
    devices: [], metrics: [], series: [], events: [],
  };
  if (input.drops !== undefined) batch.drops = input.drops;
  const deviceOf = (id: string, kind: DeviceKind): number => {
    let i = deviceIndex.get(id);
    if (i === undefined) {
      i = batch.devices.push([id, kind]) - 1;
      deviceIndex.set(id, i);
    }
    return i;
  };
  const metricOf = (m: MetricSpec): number => {
    const key = JSON.stringify([m.name, m.kind, m.unit, m.scale, m.states ?? null]);
    let i = metricIndex.get(key);
    if (i === undefined) {
      const def: WireMetric = m.states ? [m.name, m.kind, m.unit, m.scale, m.states] : [m.name, m.kind, m.unit, m.scale];
      i = batch.metrics.push(def) - 1;
      metricIndex.set(key, i);
    }
    return i;
  };
  for (const s of input.series) {
    const head = [deviceOf(s.device, s.kind), metricOf(s.metric), Math.round(s.start - t), Math.round(s.end - s.start)];
    batch.series.push([...head, ...stats(s)]);
  }
  for (const e of input.events) {
    const ev = e.event;
    // An event must not be lost to a bad number: its value becomes 0 and the detail says why.
    const finite = Number.isFinite(ev.value);
    const wire: WireEvent = [deviceOf(e.device, e.kind), Math.round(e.time - t), ev.name, ev.severity, finite ? ev.value : 0];
    if (!finite) wire.push(`value was ${ev.value}${ev.detail ? `; ${ev.detail}` : ''}`);
    else if (ev.detail) wire.push(ev.detail);
    batch.events.push(wire);
  }
  return batch;
}

export function encodeBatch(input: BatchInput): Buffer {
  return encodeCbor(buildBatch(input));
}
