/**
 * Version 0, the pre-release row format: still read, because batches written before the upgrade
 * may wait in a gateway's spool or a consumer's archive. Nothing writes it any more.
 */
import type { DeviceKind } from '../../firmware/devices/types.js';
import { arr, index, int, num, oneOf, shape, str, time, uint } from './decode-checks.js';
import { DEVICE_KINDS, SEVERITIES, valuesInSeries, type DecodedEvent, type DecodedSeries } from './format.js';
import { metricDefs, stateName } from './metric-defs.js';

export interface DecodedBody { time: number; series: DecodedSeries[]; events: DecodedEvent[]; values: number }

export function decodeBodyV0(top: Record<string, unknown>): DecodedBody {
  const t = time(int(top.t, 't'), 't');
  const devices = arr(top.devices, 'devices').map((d, i) => {
    const a = arr(d, `devices[${i}]`);
    return { id: str(a[0], `devices[${i}][0]`), kind: oneOf(a[1], DEVICE_KINDS, `devices[${i}][1]`) as DeviceKind };
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
      out.last = int(a[5], `${p}[5]`);
      out.lastState = stateName(m, out.last);
      out.durations = {};
      for (const [j, pair] of arr(a[6], `${p}[6]`).entries()) {
        const q = arr(pair, `${p}[6][${j}]`);
        out.durations[stateName(m, int(q[0], `${p}[6][${j}][0]`))] = uint(q[1], `${p}[6][${j}][1]`);
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
      severity: oneOf(a[3], SEVERITIES, `${p}[3]`), value: num(a[4], `${p}[4]`),
    };
    if (a.length === 6) out.detail = str(a[5], `${p}[5]`);
    values += 1;
    return out;
  });
  return { time: t, series, events, values };
}
