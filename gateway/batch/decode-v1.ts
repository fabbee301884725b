/** Version 1, the columnar format (docs/batch-format.md): the body's tables back into windows and events. */
import { ColumnError, decodeColumn } from './columns.js';
import { arr, index, int, num, oneOf, shape, str, time, uint } from './decode-checks.js';
import type { DecodedBody } from './decode-v0.js';
import { DEVICE_KINDS, SEVERITIES, valuesInSeries, type DecodedEvent, type DecodedSeries } from './format.js';
import { metricDefs, stateName, type MetricDef } from './metric-defs.js';
import type { DeviceKind } from '../../firmware/devices/types.js';

interface Device { id: string; kind: DeviceKind }

function devices(raw: unknown): Device[] {
  const out: Device[] = [];
  arr(raw, 'devices').forEach((g, i) => {
    const a = arr(g, `devices[${i}]`);
    if (a.length !== 3) shape(`devices[${i}]`, `expected [kind, prefix, suffixes], found ${a.length} items`);
    const kind = oneOf(a[0], DEVICE_KINDS, `devices[${i}][0]`);
    const prefix = str(a[1], `devices[${i}][1]`);
    arr(a[2], `devices[${i}][2]`).forEach((id, j) => out.push({ id: prefix + str(id, `devices[${i}][2][${j}]`), kind }));
  });
  return out;
}

function column(wire: unknown, rows: number, path: string): number[] {
  try {
    return decodeColumn(wire, rows);
  } catch (err) {
    if (err instanceof ColumnError) shape(path + err.where, err.message);
    throw err;
  }
}

/**
 * Rows whose columns are all constants would let a few bytes claim any number of rows: the
 * device or the start column must be an array of them (rows are distinct windows, so one is).
 */
function rowCount(a: unknown[], p: string, deviceAt: number, timeAt: number): number {
  const rows = uint(a[1], `${p}[1]`);
  const bound = Array.isArray(a[deviceAt]) ? a[deviceAt].length : Array.isArray(a[timeAt]) ? a[timeAt].length : 1;
  if (rows > bound) shape(`${p}[1]`, `${rows} rows, but the device and time columns hold ${bound}`);
  return rows;
}

const TABLE_ITEMS: { [K in MetricDef['kind']]: number } = { gauge: 10, level: 10, count: 7, state: 8 };

function table(raw: unknown, p: string, t: number, devs: Device[], metrics: MetricDef[], out: DecodedSeries[]): number {
  const a = arr(raw, p);
  const m = index(metrics, a[0], `${p}[0]`, 'metric');
  const visited = m.kind === 'state' ? arr(a[7], `${p}[7]`).map((s, j) => uint(s, `${p}[7][${j}]`)) : [];
  const items = TABLE_ITEMS[m.kind] + visited.length;
  if (a.length !== items) shape(p, `a ${m.kind} table${m.kind === 'state' ? ` visiting ${visited.length} states` : ''} has ${items} items, found ${a.length}`);
  visited.forEach((s, j) => j > 0 && s <= visited[j - 1]! && shape(`${p}[7][${j}]`, 'visited states must increase'));
  const rows = rowCount(a, p, 2, 3);
  const col = (i: number): number[] => column(a[i], rows, `${p}[${i}]`);
  const device = col(2);
  const start = col(3);
  const length = col(4);
  const n = col(5);
  const stats = a.slice(6, items).map((_, i) => (m.kind === 'state' && i === 1 ? [] : col(6 + i)));
  const k = 10 ** m.scale;
  let values = 0;
  for (let r = 0; r < rows; r++) {
    const dev = index(devs, device[r], `${p}[2][${r}]`, 'device');
    if (r > 0 && (start[r]! < start[r - 1]! || (start[r] === start[r - 1] && device[r]! <= device[r - 1]!))) {
      shape(`${p}[3][${r}]`, 'rows must be ordered by start, then device, each window once');
    }
    if (length[r]! < 0) shape(`${p}[4][${r}]`, `expected an unsigned integer, found ${length[r]}`);
    if (n[r]! < 0) shape(`${p}[5][${r}]`, `expected an unsigned integer, found ${n[r]}`);
    const s: DecodedSeries = {
      device: dev.id, kind: dev.kind, metric: m.name, type: m.kind, unit: m.unit,
      start: time(t + start[r]!, `${p}[3][${r}]`), durationMs: length[r]!, n: n[r]!,
    };
    time(s.start + s.durationMs, `${p}[4][${r}]`);
    if (m.kind === 'gauge' || m.kind === 'level') {
      [s.min, s.max, s.mean, s.last] = stats.map((c) => c[r]! / k);
    } else if (m.kind === 'count') {
      s.sum = stats[0]![r]! / k;
    } else {
      s.last = stats[0]![r]!;
      s.lastState = stateName(m, s.last);
      s.durations = {};
      visited.forEach((state, j) => {
        const ms = stats[2 + j]![r]!;
        if (ms < 0) shape(`${p}[${8 + j}][${r}]`, `expected an unsigned integer, found ${ms}`);
        if (ms > 0) s.durations![stateName(m, state)] = ms;
      });
    }
    values += valuesInSeries(m.kind, Object.keys(s.durations ?? {}).length);
    out.push(s);
  }
  return values;
}

function events(raw: unknown, t: number, devs: Device[]): DecodedEvent[] {
  const a = arr(raw, 'events');
  if (a.length !== 7 && a.length !== 8) shape('events', `expected 7 or 8 items, found ${a.length}`);
  const names = arr(a[0], 'events[0]').map((s, j) => str(s, `events[0][${j}]`));
  const values = arr(a[6], 'events[6]');
  const rows = uint(a[1], 'events[1]');
  if (values.length !== rows) shape('events[6]', `expected ${rows} values, found ${values.length}`);
  const details = a.length === 8 ? arr(a[7], 'events[7]') : undefined;
  if (details && details.length !== rows) shape('events[7]', `expected ${rows} details, found ${details.length}`);
  const [device, at, name, severity] = [2, 3, 4, 5].map((i) => column(a[i], rows, `events[${i}]`));
  const out: DecodedEvent[] = [];
  for (let r = 0; r < rows; r++) {
    const dev = index(devs, device![r], `events[2][${r}]`, 'device');
    const e: DecodedEvent = {
      device: dev.id, kind: dev.kind, time: time(t + at![r]!, `events[3][${r}]`),
      name: index(names, name![r], `events[4][${r}]`, 'event name'),
      severity: index(SEVERITIES, severity![r], `events[5][${r}]`, 'severity'),
      value: num(values[r], `events[6][${r}]`),
    };
    const detail = details?.[r];
    if (detail !== undefined && detail !== null) e.detail = str(detail, `events[7][${r}]`);
    out.push(e);
  }
  return out;
}

export function decodeBodyV1(body: Record<string, unknown>): DecodedBody {
  const t = time(int(body.t, 't'), 't');
  const devs = devices(body.devices);
  const metrics = metricDefs(body.metrics);
  const series: DecodedSeries[] = [];
  let values = 0;
  if (body.series !== undefined) arr(body.series, 'series').forEach((raw, i) => (values += table(raw, `series[${i}]`, t, devs, metrics, series)));
  const evs = body.events === undefined ? [] : events(body.events, t, devs);
  return { time: t, series, events: evs, values: values + evs.length };
}

