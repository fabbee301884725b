/** The metric table, the same in batch versions 0 and 1: [name, type, unit, scale, states?]. */
import type { MetricKind } from '../../firmware/devices/types.js';
import { arr, int, oneOf, shape, str } from './decode-checks.js';
import { METRIC_KINDS } from './format.js';

export interface MetricDef { name: string; kind: MetricKind; unit: string; scale: number; states?: string[] }

export function metricDefs(raw: unknown): MetricDef[] {
  return arr(raw, 'metrics').map((m, i) => {
    const p = `metrics[${i}]`;
    const a = arr(m, p);
    if (a.length !== 4 && a.length !== 5) shape(p, `expected 4 or 5 items, found ${a.length}`);
    const scale = int(a[3], `${p}[3]`);
    // 10^scale must stay an exact, finite divisor: beyond ±15 it is neither.
    if (Math.abs(scale) > 15) shape(`${p}[3]`, `scale ${scale} is outside -15..15`);
    const def: MetricDef = { name: str(a[0], `${p}[0]`), kind: oneOf(a[1], METRIC_KINDS, `${p}[1]`), unit: str(a[2], `${p}[2]`), scale };
    if (a.length === 5) def.states = arr(a[4], `${p}[4]`).map((s, j) => str(s, `${p}[4][${j}]`));
    return def;
  });
}

/** A state's name, or its number where the metric names none for it. */
export function stateName(m: MetricDef, state: number): string {
  return m.states?.[state] ?? String(state);
}
