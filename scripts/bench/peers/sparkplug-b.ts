/**
 * Sparkplug B (Eclipse Sparkplug 3.0) as a careful edge node sends it: one DDATA per device per
 * batch; metrics by alias, named once in a DBIRTH (sent the first time a device reports, and
 * again when a metric must change type); datatype only in births; a metric's timestamp only
 * where it differs from the payload's. The message layout is the specification's `Payload`
 * (the field numbers of Eclipse Tahu's sparkplug_b.proto), declared here with protobufjs's
 * reflection API; only the fields this comparison uses are declared, which does not change
 * how they are written.
 */
import protobuf from 'protobufjs';
import type { BenchValue } from '../values.js';
import type { PeerFormat, PeerMessage } from './peer-format.js';

/**
 * Sparkplug datatypes used here (specification §6.4.16). Integers beyond 32 bits go as Double,
 * exact up to 2^53 and no longer on the wire than an Int64's 10-byte varint of a negative.
 */
const INT32 = 3;
const DOUBLE = 10;

const Metric = new protobuf.Type('Metric')
  .add(new protobuf.Field('name', 1, 'string'))
  .add(new protobuf.Field('alias', 2, 'uint64'))
  .add(new protobuf.Field('timestamp', 3, 'uint64'))
  .add(new protobuf.Field('datatype', 4, 'uint32'))
  .add(new protobuf.Field('intValue', 10, 'uint32'))
  .add(new protobuf.Field('doubleValue', 13, 'double'));
const Payload = new protobuf.Type('Payload')
  .add(new protobuf.Field('timestamp', 1, 'uint64'))
  .add(new protobuf.Field('metrics', 2, 'Metric', 'repeated'))
  .add(new protobuf.Field('seq', 3, 'uint64'))
  .add(Metric);
new protobuf.Root().define('org.eclipse.tahu.protobuf').add(Payload);

interface MetricOut { name?: string; alias: number; timestamp?: number; datatype?: number; intValue?: number; doubleValue?: number }
/** As protobufjs decodes it, 64-bit fields as decimal strings. */
interface MetricIn { name?: string; alias: string; timestamp?: string; datatype?: number; intValue?: number; doubleValue?: number }

function typeFor(v: number): number {
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? INT32 : DOUBLE;
}

/** Whether a metric declared as `datatype` can carry `v` as it is. */
function fits(datatype: number, v: number): boolean {
  return datatype === DOUBLE || typeFor(v) === INT32;
}

function valueOf(datatype: number, v: number): Pick<MetricOut, 'intValue' | 'doubleValue'> {
  // Sparkplug carries a signed Int32 as its unsigned two's complement (Tahu does the same).
  return datatype === INT32 ? { intValue: v >>> 0 } : { doubleValue: v };
}

/** The most frequent time: the payload's timestamp, so most metrics need none of their own. */
function commonTime(values: BenchValue[]): number {
  const counts = new Map<number, number>();
  let best = values[0]!.t;
  for (const v of values) {
    const c = (counts.get(v.t) ?? 0) + 1;
    counts.set(v.t, c);
    if (c > counts.get(best)!) best = v.t;
  }
  return best;
}

interface Definition { alias: number; datatype: number }

/** An edge node's Sparkplug session: which devices were born, with which aliases and types. */
export function sparkplugB(): PeerFormat {
  const births = new Map<string, Map<string, Definition>>();
  const known = new Map<string, Map<number, { name: string; datatype: number }>>();
  let seq = 0;
  const topic = (site: string, type: string, gateway: string, device: string) => `spBv1.0/${site}/${type}/${gateway}/${device}`;
  const payload = (timestamp: number, metrics: MetricOut[]): Uint8Array => {
    const p = { timestamp, metrics, seq };
    seq = (seq + 1) % 256;
    return Payload.encode(Payload.fromObject(p)).finish();
  };
  return {
    name: 'Sparkplug B',
    encode(values, site, gateway) {
      const byDevice = new Map<string, BenchValue[]>();
      for (const v of values) {
        let list = byDevice.get(v.device);
        if (list === undefined) byDevice.set(v.device, (list = []));
        list.push(v);
      }
      const out: PeerMessage[] = [];
      for (const [device, list] of byDevice) {
        const defs = births.get(device) ?? new Map<string, Definition>();
        let rebirth = !births.has(device);
        for (const v of list) {
          const def = defs.get(v.metric);
          if (def === undefined) {
            defs.set(v.metric, { alias: defs.size, datatype: typeFor(v.v) });
            rebirth = true;
          } else if (!fits(def.datatype, v.v)) {
            def.datatype = DOUBLE; // a type change is a new birth certificate
            rebirth = true;
          }
        }
        births.set(device, defs);
        const ts = commonTime(list);
        if (rebirth) {
          const current = new Map(list.map((v) => [v.metric, v.v]));
          const metrics = [...defs].map(([name, d]) => ({ name, alias: d.alias, datatype: d.datatype, ...valueOf(d.datatype, current.get(name) ?? 0) }));
          out.push({ topic: topic(site, 'DBIRTH', gateway, device), payload: payload(ts, metrics) });
        }
        const metrics = list.map((v): MetricOut => {
          const d = defs.get(v.metric)!;
          return { alias: d.alias, ...(v.t !== ts ? { timestamp: v.t } : {}), ...valueOf(d.datatype, v.v) };
        });
        out.push({ topic: topic(site, 'DDATA', gateway, device), payload: payload(ts, metrics) });
      }
      return out;
    },
    decode(messages) {
      const out: BenchValue[] = [];
      for (const m of messages) {
        const [, , type, , device] = m.topic.split('/') as [string, string, string, string, string];
        const p = Payload.toObject(Payload.decode(m.payload), { longs: String }) as { timestamp: string; metrics?: MetricIn[] };
        if (type === 'DBIRTH') {
          known.set(device, new Map((p.metrics ?? []).map((x) => [Number(x.alias), { name: x.name!, datatype: x.datatype! }])));
          continue;
        }
        const defs = known.get(device);
        for (const x of p.metrics ?? []) {
          const def = defs?.get(Number(x.alias));
          if (def === undefined) throw new Error(`${m.topic}: alias ${x.alias} was never born`);
          const v = def.datatype === INT32 ? x.intValue! | 0 : x.doubleValue!;
          out.push({ device, metric: def.name, t: Number(x.timestamp ?? p.timestamp), v });
        }
      }
      return out;
    },
  };
}
