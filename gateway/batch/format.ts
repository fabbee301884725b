/**
 * The batch as it travels: compact arrays indexed through a device table and a metric table.
 * docs/batch-format.md is the normative description (with CDDL); keep the two in step.
 */
import type { DeviceKind, MetricKind, Severity } from '../../firmware/devices/types.js';

/** Version 0: the pre-release row format. Decoders refuse versions they do not know. */
export const BATCH_VERSION = 0;

/** Numbers a series of each metric kind carries (statistics), for bytes-per-value accounting. */
export function valuesInSeries(kind: MetricKind, states: number): number {
  return kind === 'gauge' || kind === 'level' ? 5 : kind === 'count' ? 2 : 2 + 2 * states;
}

/** Times a batch may carry: within ±100 million days of 1970, as ECMAScript Dates allow. */
export const MAX_ABS_TIME_MS = 8.64e15;

/** [id, kind] */
export type WireDevice = [string, DeviceKind];
/** [name, kind, unit, scale, states?] */
export type WireMetric = [string, MetricKind, string, number] | [string, MetricKind, string, number, string[]];
/**
 * [device, metric, start, length, ...stats] with start relative to the batch time `t`.
 * gauge and level: n, min, max, mean, last (scaled integers); count: n, sum;
 * state: n, last, [[state, ms]...]
 */
export type WireSeries = Array<number | Array<[number, number]>>;
/** [device, dt, name, severity, value, detail?] with dt relative to `t`. */
export type WireEvent = [number, number, string, Severity, number] | [number, number, string, Severity, number, string];

export interface WireBatch {
  v: number;
  gateway: string;
  site: string;
  epoch: number;
  seq: number;
  /** Batch base time, ms since the Unix epoch (UTC). */
  t: number;
  devices: WireDevice[];
  metrics: WireMetric[];
  series: WireSeries[];
  events: WireEvent[];
  /** The gateway's drop counts by reason, totals since its spool began; sent when they change. */
  drops?: { [reason: string]: number };
}

/** What a consumer sees after decoding: names instead of indexes, real numbers, wall times. */
export interface DecodedSeries {
  device: string;
  kind: DeviceKind;
  metric: string;
  type: MetricKind;
  unit: string;
  start: number;
  durationMs: number;
  n: number;
  min?: number;
  max?: number;
  mean?: number;
  last?: number;
  sum?: number;
  /** For state metrics: ms spent in each named state. */
  durations?: { [state: string]: number };
  lastState?: string;
}

export interface DecodedEvent {
  device: string;
  kind: DeviceKind;
  time: number;
  name: string;
  severity: Severity;
  value: number;
  detail?: string;
}

export interface DecodedBatch {
  v: number;
  gateway: string;
  site: string;
  epoch: number;
  seq: number;
  time: number;
  series: DecodedSeries[];
  events: DecodedEvent[];
  /** Values carried (series statistics plus events), for bytes-per-value accounting. */
  values: number;
  drops?: { [reason: string]: number };
}
