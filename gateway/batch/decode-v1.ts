/** Version 1, the columnar format (docs/batch-format.md): the body's tables back into windows and events. */
import { ColumnError, decodeColumn } from './columns.js';
import { arr, index, int, num, oneOf, shape, str, time, uint } from './decode-checks.js';
import type { DecodedBody } from './decode-v0.js';
import { DEVICE_KINDS, MAX_ABS_TIME_MS, SEVERITIES, valuesInSeries, type DecodedEvent, type DecodedSeries } from './format.js';
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
  // Paths are built only for an error: this loop runs once per window, thousands per batch.
  for (let r = 0; r < rows; r++) {
    const d = device[r]!;
    if (d < 0 || d >= devs.length) index(devs, d, `${p}[2][${r}]`, 'device');
    const dev = devs[d]!;
    if (r > 0 && (start[r]! < start[r - 1]! || (start[r] === start[r - 1] && d <= device[r - 1]!))) {
      shape(`${p}[3][${r}]`, 'rows must be ordered by start, then device, each window once');
    }
    if (length[r]! < 0) shape(`${p}[4][${r}]`, `expected an unsigned integer, found ${length[r]}`);
    if (n[r]! < 0) shape(`${p}[5][${r}]`, `expected an unsigned integer, found ${n[r]}`);
    const begins = t + start[r]!;
    if (Math.abs(begins) > MAX_ABS_TIME_MS) time(begins, `${p}[3][${r}]`);
    if (Math.abs(begins + length[r]!) > MAX_ABS_TIME_MS) time(begins + length[r]!, `${p}[4][${r}]`);
    const [id, kind, name, type, unit, durationMs, count] = [dev.id, dev.kind, m.name, m.kind, m.unit, length[r]!, n[r]!];
    if (m.kind === 'gauge' || m.kind === 'level') {
      const [min, max, mean, last] = [stats[0]![r]! / k, stats[1]![r]! / k, stats[2]![r]! / k, stats[3]![r]! / k];
      out.push({ device: id, kind, metric: name, type, unit, start: begins, durationMs, n: count, min, max, mean, last });
      values += 5;
    } else if (m.kind === 'count') {
      out.push({ device: id, kind, metric: name, type, unit, start: begins, durationMs, n: count, sum: stats[0]![r]! / k });
      values += 2;
    } else {
      const last = stats[0]![r]!;
      const durations: { [state: string]: number } = {};
      let inStates = 0;
      for (let j = 0; j < visited.length; j++) {
        const ms = stats[2 + j]![r]!;
        if (ms < 0) shape(`${p}[${8 + j}][${r}]`, `expected an unsigned integer, found ${ms}`);
        if (ms > 0) {
          durations[stateName(m, visited[j]!)] = ms;
          inStates++;
        }
      }
      out.push({ device: id, kind, metric: name, type, unit, start: begins, durationMs, n: count, last, lastState: stateName(m, last), durations });
      values += valuesInSeries('state', inStates);
    }
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

