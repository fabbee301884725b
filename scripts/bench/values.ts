/**
 * The unit every format in the benchmark is measured on: one number with the device, the metric
 * (statistic included) and the time it belongs to. A Kerb batch's values are exactly these: each
 * window statistic a consumer gets out of it, and each event's value. Every format in the
 * comparison carries the same list, so bytes per value are comparable across formats.
 */
import type { DecodedBatch } from '../../gateway/batch/format.js';

export interface BenchValue {
  device: string;
  /** Metric and statistic, e.g. `level.mean`, `occupied.free` (ms in that state), `event.full`. */
  metric: string;
  /** ms since 1970 (UTC): the window's start for statistics, the event's time for events. */
  t: number;
  v: number;
}

/** The values of one decoded batch, in the batch's order. Its length is `batch.values`. */
export function valuesOf(batch: DecodedBatch): BenchValue[] {
  const out: BenchValue[] = [];
  for (const s of batch.series) {
    const at = (stat: string, v: number): void => {
      out.push({ device: s.device, metric: `${s.metric}.${stat}`, t: s.start, v });
    };
    at('n', s.n);
    if (s.type === 'count') at('sum', s.sum!);
    else if (s.type === 'state') {
      at('last', s.last!);
      for (const [state, ms] of Object.entries(s.durations!)) if (ms > 0) at(state, ms);
    } else {
      at('min', s.min!);
      at('max', s.max!);
      at('mean', s.mean!);
      at('last', s.last!);
    }
  }
  for (const e of batch.events) out.push({ device: e.device, metric: `event.${e.name}`, t: e.time, v: e.value });
  return out;
}
