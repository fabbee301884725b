/**
 * Builds the wire batch (version 1) from closed windows and events and encodes it as plain CBOR,
 * optionally with its body deflated. Numbers are scaled to integers per metric (CBOR writes small
 * integers in 1–3 bytes where a float takes 5–9), times are relative to one base time per batch,
 * and each metric's windows form one table of columns whose neighbouring values differ little.
 */
import zlib from 'node:zlib';
import type { DeviceEvent, DeviceKind, MetricSpec } from '../../firmware/devices/types.js';
import type { CountStats, GaugeStats, StateStats, WindowStats } from '../aggregate/metric-window.js';
import { encodeCbor } from './cbor.js';
import { encodeColumn } from './columns.js';
import { BATCH_DICTIONARY_ID, batchDictionary } from './dictionary.js';
import {
  BATCH_VERSION, DEVICE_KINDS, SEVERITIES,
  type PackedBatch, type WireBatch, type WireBody, type WireEvents, type WireMetric, type WireTable,
} from './format.js';

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

export type BatchCompression = 'none' | 'deflate';

export interface EncodeOptions {
  /** 'deflate': the body is compressed with raw DEFLATE and Kerb's preset dictionary. */
  compression?: BatchCompression;
}

export function scaled(value: number, scale: number): number {
  return scaledBy(value, 10 ** scale);
}

function scaledBy(value: number, factor: number): number {
  const v = Math.round(value * factor);
  // The aggregator drops non-finite readings; reaching here is a bug that would make the whole
  // batch undecodable, so fail loudly where it is made rather than where it is read.
  if (!Number.isFinite(v)) throw new RangeError(`cannot encode ${value} at scale ${Math.log10(factor)}: not a finite number`);
  return v;
}

function baseTime(input: BatchInput): number {
  let t = Infinity;
  for (const s of input.series) t = Math.min(t, s.start);
  for (const e of input.events) t = Math.min(t, e.time);
  return t === Infinity ? input.now : Math.round(t);
}

/** Ids in a site are mostly a kind's prefix and a number: the prefix is written once per group. */
function commonPrefix(ids: string[]): string {
  let prefix = ids[0]!;
  for (const id of ids) {
    let i = 0;
    while (i < prefix.length && i < id.length && prefix.charCodeAt(i) === id.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
  }
  // Never split a surrogate pair: both halves must stay valid text.
  const last = prefix.charCodeAt(prefix.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? prefix.slice(0, -1) : prefix;
}

/** Device indexes: grouped by kind (each kind and id prefix written once), in order of appearance. */
class DeviceTable {
  private readonly byKind = new Map<DeviceKind, string[]>(DEVICE_KINDS.map((k) => [k, []]));
  private readonly seen = new Set<string>();

  add(id: string, kind: DeviceKind): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.byKind.get(kind)!.push(id);
  }

  /** The wire groups and each device's index in them. */
  finish(): { groups: WireBody['devices']; index: Map<string, number> } {
    const groups: WireBody['devices'] = [];
    const index = new Map<string, number>();
    for (const [kind, ids] of this.byKind) {
      if (ids.length === 0) continue;
      for (const id of ids) index.set(id, index.size);
      const prefix = commonPrefix(ids);
      groups.push([kind, prefix, ids.map((id) => id.slice(prefix.length))]);
    }
    return { groups, index };
  }
}

class MetricTable {
  readonly wire: WireMetric[] = [];
  private readonly index = new Map<string, number>();
  /** Controllers share their MetricSpec objects: most lookups end here, without building a key. */
  private readonly bySpec = new Map<MetricSpec, number>();

  indexOf(m: MetricSpec): number {
    const known = this.bySpec.get(m);
    if (known !== undefined) return known;
    const key = JSON.stringify([m.name, m.kind, m.unit, m.scale, m.states ?? null]);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.wire.push(m.states ? [m.name, m.kind, m.unit, m.scale, m.states] : [m.name, m.kind, m.unit, m.scale]) - 1;
      this.index.set(key, i);
    }
    this.bySpec.set(m, i);
    return i;
  }
}

/** A metric's windows in the batch, as the rows of its table will list them. */
interface Rows {
  spec: MetricSpec;
  series: SeriesInput[];
  device: number[];
  start: number[];
}

/** Rows ordered by start, then device. Windows mostly arrive in that order already: then no copy. */
function ordered(rows: Rows): Rows {
  const { device, start } = rows;
  let sorted = true;
  for (let r = 1; r < device.length && sorted; r++) sorted = start[r]! > start[r - 1]! || (start[r] === start[r - 1] && device[r]! > device[r - 1]!);
  if (sorted) return rows;
  const order = device.map((_, r) => r).sort((x, y) => start[x]! - start[y]! || device[x]! - device[y]!);
  return { spec: rows.spec, series: order.map((r) => rows.series[r]!), device: order.map((r) => device[r]!), start: order.map((r) => start[r]!) };
}

function table(metric: number, unordered: Rows): WireTable {
  const { spec, series, device, start } = ordered(unordered);
  const n = series.length;
  const length: number[] = [];
  const count: number[] = [];
  for (const s of series) {
    length.push(Math.round(s.end - s.start));
    count.push(s.stats.n);
  }
  const head: WireTable = [metric, n, encodeColumn(device), encodeColumn(start), encodeColumn(length), encodeColumn(count)];
  const factor = 10 ** spec.scale;
  const kind = series[0]!.stats.kind;
  if (kind === 'gauge' || kind === 'level') {
    const min: number[] = [];
    const max: number[] = [];
    const mean: number[] = [];
    const last: number[] = [];
    for (const s of series) {
      const st = s.stats as GaugeStats;
      min.push(scaledBy(st.min, factor));
      max.push(scaledBy(st.max, factor));
      mean.push(scaledBy(st.mean, factor));
      last.push(scaledBy(st.last, factor));
    }
    return [...head, encodeColumn(min), encodeColumn(max), encodeColumn(mean), encodeColumn(last)];
  }
  if (kind === 'count') return [...head, encodeColumn(series.map((s) => scaledBy((s.stats as CountStats).sum, factor)))];
  return [...head, ...stateColumns(series)];
}

/** last, the visited states, and a duration column (ms) for each of them. */
function stateColumns(series: SeriesInput[]): WireTable {
  const visited: number[] = [];
  for (const s of series) for (const [state, ms] of (s.stats as StateStats).durations) if (Math.round(ms) > 0 && !visited.includes(state)) visited.push(state);
  visited.sort((a, b) => a - b);
  const spentIn = (state: number) => series.map((s) => {
    let ms = 0;
    for (const [st, d] of (s.stats as StateStats).durations) if (st === state) ms += Math.round(d);
    return ms;
  });
  return [encodeColumn(series.map((s) => (s.stats as StateStats).last)), visited, ...visited.map((state) => encodeColumn(spentIn(state)))];
}

function events(input: EventInput[], t: number, index: Map<string, number>): WireEvents {
  const rows = [...input].sort((a, b) => a.time - b.time);
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const values: number[] = [];
  const details: Array<string | null> = [];
  const nameOf = (name: string): number => {
    let i = nameIndex.get(name);
    if (i === undefined) {
      i = names.push(name) - 1;
      nameIndex.set(name, i);
    }
    return i;
  };
  const nameCol = rows.map((e) => nameOf(e.event.name));
  for (const { event: ev } of rows) {
    // An event must not be lost to a bad number: its value becomes 0 and the detail says why.
    const finite = Number.isFinite(ev.value);
    values.push(finite ? ev.value : 0);
    details.push(!finite ? `value was ${ev.value}${ev.detail ? `; ${ev.detail}` : ''}` : ev.detail ? ev.detail : null);
  }
  const device = encodeColumn(rows.map((e) => index.get(e.device)!));
  const time = encodeColumn(rows.map((e) => Math.round(e.time - t)));
  const severity = encodeColumn(rows.map((e) => SEVERITIES.indexOf(e.event.severity)));
  const name = encodeColumn(nameCol);
  return details.some((d) => d !== null)
    ? [names, rows.length, device, time, name, severity, values, details]
    : [names, rows.length, device, time, name, severity, values];
}

export function buildBatch(input: BatchInput): WireBatch {
  const t = baseTime(input);
  const devices = new DeviceTable();
  for (const s of input.series) devices.add(s.device, s.kind);
  for (const e of input.events) devices.add(e.device, e.kind);
  const { groups, index } = devices.finish();
  const metrics = new MetricTable();
  const rowsByMetric: Rows[] = [];
  for (const s of input.series) {
    const m = metrics.indexOf(s.metric);
    const rows = (rowsByMetric[m] ??= { spec: s.metric, series: [], device: [], start: [] });
    rows.series.push(s);
    rows.device.push(index.get(s.device)!);
    rows.start.push(Math.round(s.start - t));
  }
  const batch: WireBatch = {
    v: BATCH_VERSION, gateway: input.gateway, site: input.site, epoch: input.epoch, seq: input.seq,
    t, devices: groups, metrics: metrics.wire,
  };
  if (rowsByMetric.length > 0) batch.series = rowsByMetric.map((rows, m) => table(m, rows));
  if (input.events.length > 0) batch.events = events(input.events, t, index);
  if (input.drops !== undefined) batch.drops = input.drops;
  return batch;
}

/** Splits a batch into its clear header and its body, with the body deflated. */
export function packBatch(batch: WireBatch): PackedBatch {
  const { v, gateway, site, epoch, seq, ...body } = batch;
  const deflated = zlib.deflateRawSync(encodeCbor(body), { level: 9, memLevel: 9, dictionary: batchDictionary() });
  return { v, gateway, site, epoch, seq, z: 'deflate', dict: BATCH_DICTIONARY_ID, body: deflated };
}

export function encodeBatch(input: BatchInput, options: EncodeOptions = {}): Buffer {
  const batch = buildBatch(input);
  return encodeCbor(options.compression === 'deflate' ? packBatch(batch) : batch);
}
