/**
 * Encode and decode speed of Kerb batches against JSON carrying the same values, on a sample of
 * the workload's batches, side by side in rounds (measure.ts). JSON is what a naive gateway
 * sends: `Buffer.from(JSON.stringify(...))` of the values as `{device, metric, t, v}` records,
 * and `JSON.parse` of those bytes on the way in.
 */
import { decodeBatch } from '../../gateway/batch/decode.js';
import { encodeBatch } from '../../gateway/batch/encode.js';
import { batchInputOf } from './batch-input.js';
import { compare, ratioOf } from './measure.js';
import { jsonRecord } from './peers/json-per-reading.js';
import { valuesOf } from './values.js';
import type { Workload } from './workload.js';

export interface CodecSpeed {
  sampleBatches: number;
  sampleValues: number;
  /** Values per second. */
  encode: { json: number; kerb: number; kerbDeflate: number };
  decode: { json: number; kerb: number; kerbDeflate: number };
  /** Kerb against JSON: the median of the ratios within each round. */
  encodeSpeedup: number;
  decodeSpeedup: number;
}

/** Every k-th telemetry batch, so the sample spans the day (night, rush hour, quiet noon). */
function sample(w: Workload, count: number): Workload['batches'] {
  const telemetry = w.batches.filter((b) => b.topic.endsWith('/batch'));
  const step = Math.max(1, Math.floor(telemetry.length / count));
  return telemetry.filter((_, i) => i % step === 0).slice(0, count);
}

export function measureCodecSpeed(w: Workload, batches = 40): CodecSpeed {
  const picked = sample(w, batches);
  const decoded = picked.map((b) => decodeBatch(b.payload));
  const inputs = decoded.map(batchInputOf);
  const records = decoded.map((d) => valuesOf(d).map(jsonRecord));
  const jsonBytes = records.map((r) => Buffer.from(JSON.stringify(r)));
  const plain = inputs.map((i) => encodeBatch(i));
  const deflated = inputs.map((i) => encodeBatch(i, { compression: 'deflate' }));
  const values = records.reduce((n, r) => n + r.length, 0);
  const rounds = 9;
  const enc = compare([
    { name: 'JSON', run: () => records.map((r) => Buffer.from(JSON.stringify(r))) },
    { name: 'Kerb', run: () => inputs.map((i) => encodeBatch(i)) },
    { name: 'Kerb + deflate', run: () => inputs.map((i) => encodeBatch(i, { compression: 'deflate' })) },
  ], rounds);
  const dec = compare([
    { name: 'JSON', run: () => jsonBytes.map((b) => JSON.parse(b.toString())) },
    { name: 'Kerb', run: () => plain.map((p) => decodeBatch(p)) },
    { name: 'Kerb + deflate', run: () => deflated.map((p) => decodeBatch(p)) },
  ], rounds);
  const perS = (ops: number) => ops * values;
  return {
    sampleBatches: picked.length, sampleValues: values,
    encode: { json: perS(enc[0]!.opsPerS), kerb: perS(enc[1]!.opsPerS), kerbDeflate: perS(enc[2]!.opsPerS) },
    decode: { json: perS(dec[0]!.opsPerS), kerb: perS(dec[1]!.opsPerS), kerbDeflate: perS(dec[2]!.opsPerS) },
    encodeSpeedup: ratioOf(enc[1]!, enc[0]!), decodeSpeedup: ratioOf(dec[1]!, dec[0]!),
  };
}
