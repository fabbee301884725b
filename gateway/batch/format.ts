/**
 * The batch as it travels (version 1): a device table grouped by kind, a metric table, one
 * columnar table per metric with a row per device and window, and a columnar event table.
 * docs/batch-format.md is the normative description (with CDDL); keep the two in step.
 */
import type { DeviceKind, MetricKind, Severity } from '../../firmware/devices/types.js';
import type { WireColumn } from './columns.js';

/** Version 1: columnar. Decoders refuse versions they do not know; ours also read version 0. */
export const BATCH_VERSION = 1;

/** Numbers a window of a metric carries (statistics), for bytes-per-value accounting: a state
 * window carries its changes, its last state and the time spent in each state it was in. */
export function valuesInSeries(kind: MetricKind, statesVisited: number): number {
  return kind === 'gauge' || kind === 'level' ? 5 : kind === 'count' ? 2 : 2 + statesVisited;
}

/** Times a batch may carry: within ±100 million days of 1970, as ECMAScript Dates allow. */
export const MAX_ABS_TIME_MS = 8.64e15;

/** Event severities by their wire number. */
export const SEVERITIES: readonly Severity[] = ['info', 'alert', 'fault'];
export const DEVICE_KINDS: readonly DeviceKind[] = ['lamp', 'parking', 'bin'];
export const METRIC_KINDS: readonly MetricKind[] = ['gauge', 'level', 'count', 'state'];

/** [kind, prefix, suffixes]: ids are prefix + suffix; a device's index is its position in all groups' ids, in order. */
export type WireDeviceGroup = [DeviceKind, string, string[]];
/** [name, kind, unit, scale, states?] */
export type WireMetric = [string, MetricKind, string, number] | [string, MetricKind, string, number, string[]];
/**
 * [metric, rows, device, start, length, n, ...statistics]; rows sorted by start, then device.
 * gauge and level: min, max, mean, last; count: sum; state: last, [visited states], and one
 * duration column (ms) per visited state.
 */
export type WireTable = Array<number | WireColumn | number[]>;
/** [names, rows, device, time, name, severity, values, details?] */
export type WireEvents = [string[], number, WireColumn, WireColumn, WireColumn, WireColumn, number[]] |
  [string[], number, WireColumn, WireColumn, WireColumn, WireColumn, number[], Array<string | null>];

/** What every batch carries in the clear, compressed or not: enough to de-duplicate it. */
export interface WireHeader {
  v: number;
  gateway: string;
  site: string;
  epoch: number;
  seq: number;
}

export interface WireBody {
  /** Batch base time, ms since the Unix epoch (UTC). */
  t: number;
  devices: WireDeviceGroup[];
  metrics: WireMetric[];
  series?: WireTable[];
  events?: WireEvents;
  /** The gateway's drop counts by reason, totals since its spool began; sent when they change. */
  drops?: { [reason: string]: number };
}

export type WireBatch = WireHeader & WireBody;

/** A batch whose body is compressed: `body` is the CBOR map of the WireBody members, deflated. */
export interface PackedBatch extends WireHeader {
  z: 'deflate';
  /** The preset dictionary it was deflated with (0: none). */
  dict: number;
  body: Uint8Array;
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
  /** The last value; for state metrics the state's number (its name is `lastState`). */
  last?: number;
  sum?: number;
  /** For state metrics: ms spent in each named state it was in. */
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
  /** How the batch travelled: 'deflate' when its body was compressed. */
  compression?: 'deflate';
  drops?: { [reason: string]: number };
}
