/** The naive baseline: every value its own MQTT message, a small JSON object. */
import type { BenchValue } from '../values.js';
import type { PeerFormat, PeerMessage } from './peer-format.js';

/** The record as a naive gateway writes it; also the JSON of the codec-speed baseline. */
export function jsonRecord(v: BenchValue): { device: string; metric: string; t: number; v: number } {
  return { device: v.device, metric: v.metric, t: v.t, v: v.v };
}

export const jsonPerReading: PeerFormat = {
  name: 'JSON per reading',
  encode(values, site, gateway): PeerMessage[] {
    const topic = `kerb/v1/${site}/${gateway}/reading`;
    return values.map((v) => ({ topic, payload: Buffer.from(JSON.stringify(jsonRecord(v))) }));
  },
  decode(messages) {
    return messages.map((m) => JSON.parse(Buffer.from(m.payload).toString('utf8')) as BenchValue);
  },
};
