/**
 * The promise of docs/batch-format.md: any RFC 8949 decoder reads a batch. Here a second,
 * independent library (cborg, strict: minimal integer and length encodings, no indefinite
 * lengths, no undefined, no duplicate keys, no tags) and a reader written from the document
 * alone, not from gateway/batch/, get the same values as Kerb's own decoder, plain and deflated,
 * from the standard street's real batches.
 */
import zlib from 'node:zlib';
import { decode } from 'cborg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { batchDictionary } from '../../gateway/batch/dictionary.js';
import { decodeCbor, encodeCbor } from '../../gateway/batch/cbor.js';
import { packBatch } from '../../gateway/batch/encode.js';
import type { WireBatch } from '../../gateway/batch/format.js';
import { standardWorkload } from '../../scripts/bench/standard-street.js';
import { valuesOf, type BenchValue } from '../../scripts/bench/values.js';

const STRICT = { strict: true, allowIndefinite: false, allowUndefined: false, rejectDuplicateMapKeys: true, allowNaN: false, allowInfinity: false } as const;
const SEVERITY = ['info', 'alert', 'fault'];

type Obj = Record<string, any>;

/** Column rule from the document: an integer for every row, or a first value and differences. */
function column(c: number | number[], rows: number): number[] {
  if (typeof c === 'number') return Array.from({ length: rows }, () => c);
  let sum = 0;
  return c.map((d) => (sum += d));
}

/** The document's batch, read into (device, metric.statistic, time, value) with nothing of Kerb's decoder. */
function readFromTheDocument(bytes: Uint8Array): BenchValue[] {
  let b = decode(bytes, STRICT) as Obj;
  if (b.z !== undefined) {
    assert.is(b.z, 'deflate');
    const body = decode(zlib.inflateRawSync(b.body, b.dict === 1 ? { dictionary: batchDictionary(1) } : {}), STRICT) as Obj;
    b = { ...b, ...body };
  }
  assert.is(b.v, 1);
  const ids: string[] = [];
  for (const [, prefix, suffixes] of b.devices) for (const s of suffixes) ids.push(prefix + s);
  const out: BenchValue[] = [];
  for (const table of b.series ?? []) {
    const [metric, rows] = table;
    const [name, type, , scale, states] = b.metrics[metric];
    const cols = (i: number) => column(table[i], rows);
    const device = cols(2);
    const start = cols(3);
    const n = cols(5);
    for (let r = 0; r < rows; r++) {
      const at = (stat: string, v: number) => out.push({ device: ids[device[r]!]!, metric: `${name}.${stat}`, t: b.t + start[r]!, v });
      at('n', n[r]!);
      if (type === 'gauge' || type === 'level') ['min', 'max', 'mean', 'last'].forEach((stat, i) => at(stat, cols(6 + i)[r]! / 10 ** scale));
      else if (type === 'count') at('sum', cols(6)[r]! / 10 ** scale);
      else {
        at('last', cols(6)[r]!);
        (table[7] as number[]).forEach((state, j) => {
          const ms = cols(8 + j)[r]!;
          if (ms > 0) at(states?.[state] ?? String(state), ms);
        });
      }
    }
  }
  if (b.events) {
    const [names, rows, dev, time, name, severity, values] = b.events;
    const [d, t, nm, sv] = [dev, time, name, severity].map((c) => column(c, rows));
    for (let r = 0; r < rows; r++) {
      assert.ok(SEVERITY[sv![r]!] !== undefined);
      out.push({ device: ids[d![r]!]!, metric: `event.${names[nm![r]!]}`, t: b.t + t![r]!, v: values[r] });
    }
  }
  return out;
}

const key = (v: BenchValue) => `${v.device}|${v.metric}|${v.t}`;
const sorted = (vs: BenchValue[]) => [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.v - b.v));

test('cborg in strict mode and a reader written from the document get the same values as Kerb, plain and deflated', () => {
  const w = standardWorkload({ hours: 1 });
  const batches = w.batches; // telemetry and alert batches alike
  assert.ok(batches.length >= 60, `an hour of batches (${batches.length})`);
  let values = 0;
  for (const b of batches) {
    const ours = valuesOf(decodeBatch(b.payload));
    const packed = encodeCbor(packBatch(decodeCbor(b.payload) as WireBatch));
    assert.equal(sorted(readFromTheDocument(b.payload)), sorted(ours));
    assert.equal(sorted(readFromTheDocument(packed)), sorted(ours));
    values += ours.length;
  }
  assert.ok(values > 100_000, `a sizeable sample (${values} values)`);
});

test.run();
