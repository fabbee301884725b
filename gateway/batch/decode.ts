/**
 * Decodes and checks a batch. Anything malformed is refused with a BatchError naming the place
 * (`series[3][2]`) and the reason, never a TypeError from deep inside; consumers and `kerb
 * decode` rely on that.
 */
import type { DeviceKind, MetricKind, Severity } from '../../firmware/devices/types.js';
import { decodeCbor } from './cbor.js';
import { BATCH_VERSION, MAX_ABS_TIME_MS, valuesInSeries, type DecodedBatch, type DecodedEvent, type DecodedSeries } from './format.js';

export type BatchErrorCode = 'E_BATCH_CBOR' | 'E_BATCH_SHAPE' | 'E_BATCH_VERSION';

export class BatchError extends Error {
  constructor(readonly code: BatchErrorCode, readonly path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'BatchError';
  }
}

const KINDS: readonly string[] = ['lamp', 'parking', 'bin'];
const METRIC_KINDS: readonly string[] = ['gauge', 'level', 'count', 'state'];
const SEVERITIES: readonly string[] = ['info', 'alert', 'fault'];

function shape(path: string, message: string): never {
  throw new BatchError('E_BATCH_SHAPE', path, message);
}

function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) shape(path, `expected an integer, found ${describe(v)}`);
  return v;
}

function uint(v: unknown, path: string): number {
  const n = int(v, path);
  if (n < 0) shape(path, `expected an unsigned integer, found ${n}`);
  return n;
}

/** A time (or a time plus an offset) a Date can represent; anything else is a corrupt batch. */
function time(v: number, path: string): number {
  if (Math.abs(v) > MAX_ABS_TIME_MS) shape(path, `time ${v} is outside the range of dates`);
  return v;
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) shape(path, `expected a number, found ${describe(v)}`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') shape(path, `expected a text string, found ${describe(v)}`);
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) shape(path, `expected an array, found ${describe(v)}`);
  return v;
}

function oneOf(v: unknown, allowed: readonly string[], path: string): string {
  const s = str(v, path);
  if (!allowed.includes(s)) shape(path, `expected one of ${allowed.join(', ')}, found '${s}'`);
  return s;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return `a byte string of ${v.length}`;
  return typeof v === 'object' ? 'a map' : `${typeof v} ${String(v).slice(0, 40)}`;
}

interface MetricDef { name: string; kind: MetricKind; unit: string; scale: number; states?: string[] }

function metricDefs(raw: unknown): MetricDef[] {
  return arr(raw, 'metrics').map((m, i) => {
    const p = `metrics[${i}]`;
    const a = arr(m, p);
    if (a.length !== 4 && a.length !== 5) shape(p, `expected 4 or 5 items, found ${a.length}`);
    const def: MetricDef = {
      name: str(a[0], `${p}[0]`), kind: oneOf(a[1], METRIC_KINDS, `${p}[1]`) as MetricKind,
      unit: str(a[2], `${p}[2]`), scale: int(a[3], `${p}[3]`),
    };
    if (a.length === 5) def.states = arr(a[4], `${p}[4]`).map((s, j) => str(s, `${p}[4][${j}]`));
    return def;
  });
}

function index<T>(table: T[], v: unknown, path: string, what: string): T {
  const i = uint(v, path);
  if (i >= table.length) shape(path, `${what} index ${i} is outside the ${what} table of ${table.length}`);
  return table[i]!;
}

export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  let raw: unknown;
  try {
    raw = decodeCbor(bytes);
  } catch (err) {
    throw new BatchError('E_BATCH_CBOR', '', `not well-formed CBOR (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) shape('', `expected a map at the top, found ${describe(raw)}`);
  const top = raw as Record<string, unknown>;
  const v = uint(top.v, 'v');
  if (v !== BATCH_VERSION) throw new BatchError('E_BATCH_VERSION', 'v', `batch format ${v} is not supported (this decoder reads ${BATCH_VERSION})`);
  const t = time(int(top.t, 't'), 't');
  const devices = arr(top.devices, 'devices').map((d, i) => {
    const a = arr(d, `devices[${i}]`);
    return { id: str(a[0], `devices[${i}][0]`), kind: oneOf(a[1], KINDS, `devices[${i}][1]`) as DeviceKind };
  });
  const metrics = metricDefs(top.metrics);
  let values = 0;
  const series = arr(top.series, 'series').map((s, i): DecodedSeries => {
    const p = `series[${i}]`;
    const a = arr(s, p);
    const dev = index(devices, a[0], `${p}[0]`, 'device');
    const m = index(metrics, a[1], `${p}[1]`, 'metric');
    const out: DecodedSeries = {
      device: dev.id, kind: dev.kind, metric: m.name, type: m.kind, unit: m.unit,
      start: time(t + int(a[2], `${p}[2]`), `${p}[2]`), durationMs: uint(a[3], `${p}[3]`), n: uint(a[4], `${p}[4]`),
    };
    time(out.start + out.durationMs, `${p}[3]`);
    const k = 10 ** m.scale;
    if (m.kind === 'gauge' || m.kind === 'level') {
      if (a.length !== 9) shape(p, `a ${m.kind} series has 9 items, found ${a.length}`);
      out.min = int(a[5], `${p}[5]`) / k;
      out.max = int(a[6], `${p}[6]`) / k;
      out.mean = int(a[7], `${p}[7]`) / k;
      out.last = int(a[8], `${p}[8]`) / k;
    } else if (m.kind === 'count') {
      if (a.length !== 6) shape(p, `a count series has 6 items, found ${a.length}`);
      out.sum = int(a[5], `${p}[5]`) / k;
    } else {
      if (a.length !== 7) shape(p, `a state series has 7 items, found ${a.length}`);
      const last = int(a[5], `${p}[5]`);
      const name = (s: number): string => m.states?.[s] ?? String(s);
      out.lastState = name(last);
      out.durations = {};
      for (const [j, pair] of arr(a[6], `${p}[6]`).entries()) {
        const q = arr(pair, `${p}[6][${j}]`);
        out.durations[name(int(q[0], `${p}[6][${j}][0]`))] = uint(q[1], `${p}[6][${j}][1]`);
      }
    }
    values += valuesInSeries(m.kind, Object.keys(out.durations ?? {}).length);
    return out;
  });
  const events = arr(top.events, 'events').map((e, i): DecodedEvent => {
    const p = `events[${i}]`;
    const a = arr(e, p);
    if (a.length !== 5 && a.length !== 6) shape(p, `expected 5 or 6 items, found ${a.length}`);
    const dev = index(devices, a[0], `${p}[0]`, 'device');
    const out: DecodedEvent = {
      device: dev.id, kind: dev.kind, time: time(t + int(a[1], `${p}[1]`), `${p}[1]`), name: str(a[2], `${p}[2]`),
      severity: oneOf(a[3], SEVERITIES, `${p}[3]`) as Severity, value: num(a[4], `${p}[4]`),
    };
    if (a.length === 6) out.detail = str(a[5], `${p}[5]`);
    values += 1;
    return out;
  });
  const out: DecodedBatch = {
    v, gateway: str(top.gateway, 'gateway'), site: str(top.site, 'site'), epoch: uint(top.epoch, 'epoch'),
    seq: uint(top.seq, 'seq'), time: t, series, events, values,
  };
  if (top.drops !== undefined) {
    if (top.drops === null || typeof top.drops !== 'object' || Array.isArray(top.drops)) shape('drops', `expected a map, found ${describe(top.drops)}`);
    out.drops = {};
    for (const [reason, count] of Object.entries(top.drops as Record<string, unknown>)) out.drops[reason] = uint(count, `drops.${reason}`);
  }
  return out;
}
