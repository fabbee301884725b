/**
 * Bytes on the wire per value, MQTT framing included (a QoS 1 PUBLISH and its PUBACK), for Kerb
 * as the gateway published the workload, Kerb with its body deflated, and each peer format
 * carrying the very same values. Batch by batch, so a day of the standard street never has to
 * sit in memory as millions of value objects at once.
 */
import { decodeCbor, encodeCbor } from '../../gateway/batch/cbor.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { packBatch } from '../../gateway/batch/encode.js';
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
