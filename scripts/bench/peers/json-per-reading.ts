/**
 * The naive baseline: every value its own MQTT message carrying a small JSON object, as a
 * gateway that forwards readings one by one does.
 */
import type { BenchValue } from '../values.js';
import type { PeerFormat, PeerMessage } from './peer-format.js';

export interface JsonRecord {
  device: string;
  metric: string;
  t: number;
  v: number;
}

/**
 * The record a naive gateway writes: exactly these keys in this order. Kept a plain object
 * literal because codec-speed.ts times JSON.stringify/parse of it as the speed baseline.
 */
export function jsonRecord(value: BenchValue): JsonRecord {
  return { device: value.device, metric: value.metric, t: value.t, v: value.v };
}

export const jsonPerReading: PeerFormat = {
  name: 'JSON per reading',
  encode(values, site, gateway): PeerMessage[] {
    const topic = `kerb/v1/${site}/${gateway}/reading`;
    return values.map((value) => ({ topic, payload: Buffer.from(JSON.stringify(jsonRecord(value))) }));
  },
  decode(messages): BenchValue[] {
    return messages.map((m) => jsonRecord(JSON.parse(Buffer.from(m.payload).toString('utf8')) as JsonRecord));
  },
};
