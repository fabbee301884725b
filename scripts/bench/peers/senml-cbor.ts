/**
 * SenML in its CBOR representation (RFC 8428 §6): one pack per batch, one MQTT message. Records
 * are maps with the RFC's integer labels, and the base fields are used as a careful producer
 * uses them: records sorted by device then time, the base name set only where the device
 * changes, the base time once. SenML times are seconds (fractions allowed): the base time is the
 * pack's earliest time, each record's time is relative to it and left out when zero.
 *
 * Written with cbor-x, the encoder Kerb's own batches use, set up likewise for plain RFC 8949
 * (gateway/batch/cbor.ts): no record extension, no tags of its own, so the comparison is of
 * formats, not of encoders.
 */
import { Decoder, Encoder } from 'cbor-x';
import type { BenchValue } from '../values.js';
import type { PeerFormat, PeerMessage } from './peer-format.js';

/** RFC 8428 Table 6 labels (the ones this producer writes or its reader must honour). */
const BN = -2;
const BT = -3;
const BV = -5;
const N = 0;
const V = 2;
const T = 6;

type SenmlRecord = Map<number, string | number>;

// Records are Maps, not objects: cbor-x writes a Map's keys as what they are, so the labels go
// out as CBOR integers (an object's keys would be text strings "-2", "0", ...). mapsAsObjects:
// false on the encoder too: with it true (cbor-x's default once useRecords is off) every Map is
// wrapped in tag 259, which is cbor-x's own and no SenML reader expects. On the decoder it reads
// maps back as Maps with number keys; int64AsNumber (missing from cbor-x's types) keeps a large
// integer value a number rather than a BigInt.
const options = { useRecords: false, mapsAsObjects: false, tagUint8Array: false, bundleStrings: false, pack: false } as const;
const encoder = new Encoder(options);
const decoder = new Decoder({ ...options, int64AsNumber: true } as ConstructorParameters<typeof Decoder>[0]);

const NAME_PREFIX = 'urn:dev:kerb:';

/** The base name for a device, ending in the separator as RFC 8428's examples do ("urn:dev:ow:...:"). */
function baseName(device: string): string {
  return `${NAME_PREFIX}${device}:`;
}

function deviceOf(bn: string): string {
  if (!bn.startsWith(NAME_PREFIX) || !bn.endsWith(':')) throw new Error(`SenML: base name ${JSON.stringify(bn)} is not a Kerb device`);
  return bn.slice(NAME_PREFIX.length, -1);
}

function byDeviceThenTime(a: BenchValue, b: BenchValue): number {
  // Code-unit order, not localeCompare: the pack must not depend on the machine's locale.
  return a.device < b.device ? -1 : a.device > b.device ? 1 : a.t - b.t;
}

/** A label's value if the record has it, checked to be of the type RFC 8428 gives it. */
function text(record: Map<unknown, unknown>, label: number): string | undefined {
  const x = record.get(label);
  if (x !== undefined && typeof x !== 'string') throw new Error(`SenML: label ${label} is not a text string`);
  return x;
}

function num(record: Map<unknown, unknown>, label: number): number | undefined {
  const x = record.get(label);
  if (x !== undefined && typeof x !== 'number') throw new Error(`SenML: label ${label} is not a number`);
  return x;
}

export const senmlCbor: PeerFormat = {
  name: 'SenML-CBOR',
  encode(values, site, gateway): PeerMessage[] {
    const sorted = [...values].sort(byDeviceThenTime);
    const btMs = sorted.reduce((min, v) => Math.min(min, v.t), Infinity);
    let device: string | undefined;
    const pack = sorted.map((value, i): SenmlRecord => {
      const record: SenmlRecord = new Map();
      if (value.device !== device) record.set(BN, baseName((device = value.device)));
      if (i === 0) record.set(BT, btMs / 1000);
      record.set(N, value.metric);
      // From the integer ms difference, so the seconds carry no error of their own.
      if (value.t !== btMs) record.set(T, (value.t - btMs) / 1000);
      record.set(V, value.v);
      return record;
    });
    return [{ topic: `kerb/v1/${site}/${gateway}/senml`, payload: encoder.encode(pack) }];
  },
  decode(messages): BenchValue[] {
    const out: BenchValue[] = [];
    for (const m of messages) {
      const pack: unknown = decoder.decode(m.payload);
      if (!Array.isArray(pack)) throw new Error('SenML: a pack is an array of records');
      // Base fields apply to the records after them until one changes them (RFC 8428 §4.1).
      let bn: string | undefined;
      let bt = 0;
      let bv: number | undefined;
      for (const record of pack as unknown[]) {
        if (!(record instanceof Map)) throw new Error('SenML: a record is a map');
        bn = text(record, BN) ?? bn;
        bt = num(record, BT) ?? bt;
        bv = num(record, BV) ?? bv;
        const n = text(record, N) ?? '';
        const v = num(record, V);
        if (bn === undefined || v === undefined) throw new Error('SenML: a record without a base name or a numeric value');
        const seconds = bt + (num(record, T) ?? 0);
        out.push({ device: deviceOf(bn), metric: n, t: Math.round(seconds * 1000), v: bv === undefined ? v : bv + v });
      }
    }
    return out;
  },
};
