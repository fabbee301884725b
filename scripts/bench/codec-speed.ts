/**
 * Encode and decode speed of Kerb batches against JSON carrying the same values, on a sample of
 * the workload's batches, side by side in rounds (measure.ts). JSON is what a naive gateway
 * sends: `Buffer.from(JSON.stringify(...))` of the values as `{device, metric, t, v}` records,
 * and `JSON.parse` of those bytes on the way in.
 *
 * `measureCodecSpeed` times them in a child process (codec-speed-child.ts) that holds only the
 * sample: timed in `kerb bench`'s own process, beside a whole simulated day, Kerb's encode read
 * anywhere from 2.1 to 8.0 M values/s within one run (the ratio to JSON x0.9 to x4.3), as major
 * collections of that heap fell into one candidate's rounds; in the child it holds 8.6-9.7 M.
 */
import { fileURLToPath } from 'node:url';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { encodeBatch } from '../../gateway/batch/encode.js';
import { batchInputOf } from './batch-input.js';
import { runBenchChild } from './bench-child.js';
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

/** Every k-th telemetry batch's payload, so the sample spans the day (night, rush hour, quiet noon). */
export function samplePayloads(w: Workload, count: number): Uint8Array[] {
  const telemetry = w.batches.filter((b) => b.topic.endsWith('/batch'));
  const step = Math.max(1, Math.floor(telemetry.length / count));
  return telemetry.filter((_, i) => i % step === 0).slice(0, count).map((b) => b.payload);
}

export const CODEC_ROUNDS = 9;

/** Times the codecs on these batch payloads in this process. */
export function measureCodecSpeedOn(payloads: Uint8Array[], rounds = CODEC_ROUNDS): CodecSpeed {
  const decoded = payloads.map((p) => decodeBatch(p));
  const inputs = decoded.map(batchInputOf);
  const records = decoded.map((d) => valuesOf(d).map(jsonRecord));
  const jsonBytes = records.map((r) => Buffer.from(JSON.stringify(r)));
  const plain = inputs.map((i) => encodeBatch(i));
  const deflated = inputs.map((i) => encodeBatch(i, { compression: 'deflate' }));
  const values = records.reduce((n, r) => n + r.length, 0);
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
    sampleBatches: payloads.length, sampleValues: values,
    encode: { json: perS(enc[0]!.opsPerS), kerb: perS(enc[1]!.opsPerS), kerbDeflate: perS(enc[2]!.opsPerS) },
    decode: { json: perS(dec[0]!.opsPerS), kerb: perS(dec[1]!.opsPerS), kerbDeflate: perS(dec[2]!.opsPerS) },
    encodeSpeedup: ratioOf(enc[1]!, enc[0]!), decodeSpeedup: ratioOf(dec[1]!, dec[0]!),
  };
}

const CHILD = fileURLToPath(new URL('./codec-speed-child.js', import.meta.url));

/** Input of codec-speed-child.js on its stdin. */
export interface CodecChildInput {
  rounds: number;
  /** Batch payloads, base64. */
  payloads: string[];
}

/** Times the codecs on `batches` sampled batches of the workload, in a child process. */
export function measureCodecSpeed(w: Workload, opts: { batches?: number; rounds?: number; timeoutMs?: number } = {}): Promise<CodecSpeed> {
  const input: CodecChildInput = {
    rounds: opts.rounds ?? CODEC_ROUNDS,
    payloads: samplePayloads(w, opts.batches ?? 40).map((p) => Buffer.from(p).toString('base64')),
  };
  return runBenchChild<CodecSpeed>({
    script: CHILD, args: [], input: JSON.stringify(input), label: 'codec-speed: the child', timeoutMs: opts.timeoutMs ?? 120_000,
  });
}
