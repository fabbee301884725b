/**
 * Builds the wire batch (version 1) from closed windows and events and encodes it as plain CBOR,
 * optionally with its body deflated. Numbers are scaled to integers per metric (CBOR writes small
 * integers in 1–3 bytes where a float takes 5–9), times are relative to one base time per batch,
 * and each metric's windows form one table of columns whose neighbouring values differ little.
 */
import zlib from 'node:zlib';
import type { DeviceEvent, DeviceKind, MetricSpec } from '../../firmware/devices/types.js';
import type { WindowStats } from '../aggregate/metric-window.js';
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

  indexOf(m: MetricSpec): number {
    const key = JSON.stringify([m.name, m.kind, m.unit, m.scale, m.states ?? null]);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.wire.push(m.states ? [m.name, m.kind, m.unit, m.scale, m.states] : [m.name, m.kind, m.unit, m.scale]) - 1;
      this.index.set(key, i);
    }
    return i;
  }
}

interface Row { device: number; start: number; length: number; s: SeriesInput }

function table(metric: number, spec: MetricSpec, rows: Row[]): WireTable {
  rows.sort((a, b) => a.start - b.start || a.device - b.device);
  const col = (f: (r: Row) => number) => encodeColumn(rows.map(f));
  const k = spec.scale;
  const head: WireTable = [metric, rows.length, col((r) => r.device), col((r) => r.start), col((r) => r.length), col((r) => r.s.stats.n)];
  const first = rows[0]!.s.stats;
  switch (first.kind) {
    case 'gauge':
    case 'level': {
      const g = (f: (st: Extract<WindowStats, { kind: 'gauge' | 'level' }>) => number) => col((r) => scaled(f(r.s.stats as typeof first), k));
      return [...head, g((st) => st.min), g((st) => st.max), g((st) => st.mean), g((st) => st.last)];
    }
    case 'count':
      return [...head, col((r) => scaled((r.s.stats as typeof first).sum, k))];
    case 'state': {
      const spent = rows.map((r) => new Map((r.s.stats as typeof first).durations.map(([state, ms]) => [state, Math.round(ms)])));
      const visited = [...new Set(spent.flatMap((m) => [...m].filter(([, ms]) => ms > 0).map(([state]) => state)))].sort((a, b) => a - b);
      return [...head, col((r) => (r.s.stats as typeof first).last), visited, ...visited.map((state) => encodeColumn(spent.map((m) => m.get(state) ?? 0)))];
    }
  }
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
  const rowsByMetric = new Map<number, { spec: MetricSpec; rows: Row[] }>();
  for (const s of input.series) {
    const m = metrics.indexOf(s.metric);
    let entry = rowsByMetric.get(m);
    if (entry === undefined) rowsByMetric.set(m, (entry = { spec: s.metric, rows: [] }));
    entry.rows.push({ device: index.get(s.device)!, start: Math.round(s.start - t), length: Math.round(s.end - s.start), s });
  }
  const batch: WireBatch = {
    v: BATCH_VERSION, gateway: input.gateway, site: input.site, epoch: input.epoch, seq: input.seq,
    t, devices: groups, metrics: metrics.wire,
  };
  if (rowsByMetric.size > 0) batch.series = [...rowsByMetric].map(([m, { spec, rows }]) => table(m, spec, rows));
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
