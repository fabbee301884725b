/** Human-readable rendering of a decoded batch, shared by `kerb decode` and `kerb tail`. */
import type { DecodedBatch, DecodedSeries } from '../gateway/batch/format.js';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function round(v: number | undefined): string {
  if (v === undefined) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 3).replace(/0+$/, '').replace(/\.$/, '');
}

function seriesLine(s: DecodedSeries, withStart: boolean): string {
  // A batch may hold several windows of a device (longer batches, devices on other periods).
  const start = withStart ? `${iso(s.start).slice(11, 19)} +${s.durationMs / 1000}s ` : '';
  const head = `  ${start}${s.device.padEnd(10)} ${s.metric.padEnd(9)}`;
  const unit = s.unit ? ` ${s.unit}` : '';
  if (s.type === 'gauge' || s.type === 'level') {
    return `${head} n=${s.n} min=${round(s.min)} max=${round(s.max)} mean=${round(s.mean)} last=${round(s.last)}${unit}`;
  }
  if (s.type === 'count') return `${head} count=${round(s.sum)}`;
  const parts = Object.entries(s.durations ?? {}).map(([state, ms]) => `${state} ${round(ms / 1000)}s`);
  return `${head} now=${s.lastState} changes=${s.n} (${parts.join(', ')})`;
}

export function formatBatch(b: DecodedBatch, bytes: number): string {
  const lines = [
    `batch ${b.gateway} epoch ${b.epoch} seq ${b.seq}  site ${b.site}  ${iso(b.time)}  ` +
      `${bytes} B${b.compression ? ` (${b.compression})` : ''}, ${b.values} values, ${b.values ? (bytes / b.values).toFixed(2) : '-'} B/value`,
  ];
  if (b.series.length) {
    const windows = new Set(b.series.map((s) => `${iso(s.start)} +${s.durationMs / 1000}s`));
    lines.push(` series (${b.series.length}) window ${[...windows].join(', ')}`);
    for (const s of b.series) lines.push(seriesLine(s, windows.size > 1));
  }
  if (b.events.length) {
    lines.push(` events (${b.events.length})`);
    for (const e of b.events) {
      lines.push(`  ${iso(e.time)} ${e.device.padEnd(10)} ${e.severity.padEnd(5)} ${e.name} ${round(e.value)}${e.detail ? ` (${e.detail})` : ''}`);
    }
  }
  return lines.join('\n');
}

/** The --json shape: top-level gateway, epoch, seq, then the decoded series and events. */
export function batchJson(b: DecodedBatch): object {
  return {
    gateway: b.gateway, epoch: b.epoch, seq: b.seq, site: b.site, v: b.v, time: iso(b.time),
    series: b.series.map((s) => ({ ...s, start: iso(s.start) })),
    events: b.events.map((e) => ({ ...e, time: iso(e.time) })),
  };
}
