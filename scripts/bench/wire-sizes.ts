/**
 * Bytes on the wire per value, MQTT framing included (a QoS 1 PUBLISH and its PUBACK), for Kerb
 * as the gateway published the workload, Kerb with its body deflated, and each peer format
 * carrying the very same values. Batch by batch, so a day of the standard street never has to
 * sit in memory as millions of value objects at once.
 */
import { decodeCbor, encodeCbor } from '../../gateway/batch/cbor.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { encodeBatch, packBatch, type BatchInput } from '../../gateway/batch/encode.js';
import { batchInputOf } from './batch-input.js';
import type { WireBatch } from '../../gateway/batch/format.js';
import { qos1PublishBytes } from './mqtt-size.js';
import { wireBytes, type PeerFormat } from './peers/peer-format.js';
import { valuesOf } from './values.js';
import type { Workload } from './workload.js';

export interface WireSizes {
  values: number;
  batches: number;
  /** Batches carrying fewer than 100 values (alerts, the last flush): counted in every figure. */
  smallBatches: number;
  /** Bytes per value, by format name ('Kerb', 'Kerb + deflate', then the peers'). */
  bytesPerValue: Map<string, number>;
  /** Kerb's plain bytes per raw reading the controllers produced. */
  kerbBytesPerReading: number;
}

export function measureWireSizes(w: Workload, peers: PeerFormat[]): WireSizes {
  const totals = new Map<string, number>([['Kerb', 0], ['Kerb + deflate', 0], ...peers.map((p) => [p.name, 0] as [string, number])]);
  const add = (name: string, bytes: number) => totals.set(name, totals.get(name)! + bytes);
  let values = 0;
  let smallBatches = 0;
  for (const b of w.batches) {
    const decoded = decodeBatch(b.payload);
    const carried = valuesOf(decoded);
    values += carried.length;
    if (carried.length < 100) smallBatches++;
    add('Kerb', qos1PublishBytes(b.topic, b.payload.length));
    add('Kerb + deflate', qos1PublishBytes(b.topic, encodeCbor(packBatch(decodeCbor(b.payload) as WireBatch)).length));
    for (const p of peers) add(p.name, wireBytes(p.encode(carried, decoded.site, decoded.gateway)));
  }
  const bytesPerValue = new Map([...totals].map(([name, bytes]) => [name, bytes / values]));
  return { values, batches: w.batches.length, smallBatches, bytesPerValue, kerbBytesPerReading: totals.get('Kerb')! / w.readings.length };
}

export interface SmallGatewaySizes {
  devices: number;
  /** Minutes of windows per batch. */
  minutes: number;
  batches: number;
  valuesPerBatch: number;
  kerb: number;
  kerbDeflate: number;
}

/**
 * The same day on a small gateway: every k-th device of the street, so ~20 devices of the same
 * mix and batches of about a hundred values, where a batch's fixed costs (header, tables, MQTT
 * framing) weigh most. Its telemetry re-encoded as that gateway would have sent it, with one
 * minute or `minutes` of windows per batch; its alerts as they were.
 */
export function measureSmallGateway(w: Workload, devices = 20, minutes = 1): SmallGatewaySizes {
  const step = Math.max(1, Math.round(w.site.devices.length / devices));
  const keep = new Set(w.site.devices.filter((_, i) => i % step === 0).map((d) => d.id));
  const pending: BatchInput[] = [];
  const totals = { values: 0, plain: 0, deflated: 0, batches: 0 };
  const send = (topic: string, parts: BatchInput[]): void => {
    const input: BatchInput = { ...parts[0]!, series: parts.flatMap((p) => p.series), events: parts.flatMap((p) => p.events) };
    if (input.series.length === 0 && input.events.length === 0) return;
    const payload = encodeBatch(input);
    totals.batches++;
    totals.values += decodeBatch(payload).values;
    totals.plain += qos1PublishBytes(topic, payload.length);
    totals.deflated += qos1PublishBytes(topic, encodeBatch(input, { compression: 'deflate' }).length);
  };
  let telemetryTopic = '';
  for (const b of w.batches) {
    const input = batchInputOf(decodeBatch(b.payload));
    input.series = input.series.filter((s) => keep.has(s.device));
    input.events = input.events.filter((e) => keep.has(e.device));
    if (!b.topic.endsWith('/batch')) {
      send(b.topic, [input]);
      continue;
    }
    telemetryTopic = b.topic;
    pending.push(input);
    if (pending.length === minutes) send(b.topic, pending.splice(0));
  }
  if (pending.length > 0) send(telemetryTopic, pending);
  return {
    devices: keep.size, minutes, batches: totals.batches, valuesPerBatch: totals.values / totals.batches,
    kerb: totals.plain / totals.values, kerbDeflate: totals.deflated / totals.values,
  };
}
