/**
 * SenML in its CBOR representation (RFC 8428 §6): one pack per batch, records with integer
 * labels, the base name set per device and the base time once, as a careful SenML producer does.
 * SenML times are seconds; record times are relative to the base time and omitted when zero.
 */
import { Decoder, Encoder } from 'cbor-x';
import type { BenchValue } from '../values.js';
import type { PeerFormat } from './peer-format.js';

/** RFC 8428 Table 6. */
const BN = -2;
const BT = -3;
const N = 0;
const V = 2;
const T = 6;

const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false, pack: false });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false } as ConstructorParameters<typeof Decoder>[0]);

const baseName = (device: string) => `urn:dev:kerb:${device}:`;

export const senmlCbor: PeerFormat = {
  name: 'SenML-CBOR',
  encode(values, site, gateway) {
    const sorted = [...values].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : a.t - b.t));
    const bt = sorted.length > 0 ? sorted[0]!.t / 1000 : 0;
    let device: string | undefined;
    const pack = sorted.map((v, i) => {
      const record = new Map<number, string | number>();
      if (v.device !== device) record.set(BN, baseName((device = v.device)));
      if (i === 0) record.set(BT, bt);
      record.set(N, v.metric);
      const t = v.t / 1000 - bt;
      if (t !== 0) record.set(T, Math.round(t * 1000) / 1000);
      record.set(V, v.v);
      return record;
    });
    return [{ topic: `kerb/v1/${site}/${gateway}/senml`, payload: encoder.encode(pack) }];
  },
  decode(messages) {
    const out: BenchValue[] = [];
    for (const m of messages) {
      let bn = '';
      let bt = 0;
      for (const record of decoder.decode(m.payload) as Array<Map<number, string | number>>) {
        if (record.has(BN)) bn = record.get(BN) as string;
        if (record.has(BT)) bt = record.get(BT) as number;
        const prefix = 'urn:dev:kerb:';
        const device = bn.slice(prefix.length, -1);
        out.push({ device, metric: record.get(N) as string, t: Math.round((bt + ((record.get(T) as number | undefined) ?? 0)) * 1000), v: record.get(V) as number });
      }
    }
    return out;
  },
};
