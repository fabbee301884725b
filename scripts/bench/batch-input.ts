/**
 * A published batch turned back into what the gateway encoded it from, so the bench can time
 * encoding the very batches the standard street produced. Statistics come back exactly: they
 * were scaled integers on the wire, and scaling them again gives the same integers.
 */
import { METRICS_BY_KIND } from '../../firmware/devices/create.js';
import type { WindowStats } from '../../gateway/aggregate/metric-window.js';
import type { BatchInput, SeriesInput } from '../../gateway/batch/encode.js';
import type { DecodedBatch, DecodedSeries } from '../../gateway/batch/format.js';

function stats(s: DecodedSeries, states: string[] | undefined): WindowStats {
  switch (s.type) {
    case 'gauge':
    case 'level':
      return { kind: s.type, n: s.n, min: s.min!, max: s.max!, mean: s.mean!, last: s.last! };
    case 'count':
      return { kind: 'count', n: s.n, sum: s.sum! };
    case 'state':
      return { kind: 'state', n: s.n, last: s.last!, durations: Object.entries(s.durations!).map(([name, ms]) => [states!.indexOf(name), ms]) };
  }
}

export function batchInputOf(b: DecodedBatch): BatchInput {
  const series = b.series.map((s): SeriesInput => {
    const metric = METRICS_BY_KIND[s.kind].find((m) => m.name === s.metric);
    if (metric === undefined) throw new Error(`${s.device}: no metric '${s.metric}' for a ${s.kind}`);
    return { device: s.device, kind: s.kind, metric, start: s.start, end: s.start + s.durationMs, stats: stats(s, metric.states) };
  });
  const events = b.events.map((e) => ({
    device: e.device, kind: e.kind, time: e.time,
    event: { type: 'event' as const, name: e.name, severity: e.severity, value: e.value, time: 0, detail: e.detail ?? '' },
  }));
  return { gateway: b.gateway, site: b.site, epoch: b.epoch, seq: b.seq, now: b.time, series, events, ...(b.drops ? { drops: b.drops } : {}) };
}
