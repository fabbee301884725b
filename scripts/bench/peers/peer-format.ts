/**
 * A peer format in the benchmark: the MQTT messages it would send to carry one gateway batch's
 * values, and the way back. The way back is there so tests can prove every format carries the
 * very same values; only then do bytes per value compare like with like.
 */
import { qos1PublishBytes } from '../mqtt-size.js';
import type { BenchValue } from '../values.js';

export interface PeerMessage {
  topic: string;
  payload: Uint8Array;
}

export interface PeerFormat {
  /** As the results table names it: 'JSON per reading', 'SenML-CBOR', 'Sparkplug B'. */
  name: string;
  /** The MQTT messages this format sends for one gateway batch's values (site/gateway name the topic). */
  encode(values: BenchValue[], site: string, gateway: string): PeerMessage[];
  /** Decodes the messages back into values (for tests and to prove nothing was lost). */
  decode(messages: PeerMessage[]): BenchValue[];
}

/** Bytes on the wire: each message as a QoS 1 PUBLISH plus the PUBACK that answers it. */
export function wireBytes(messages: PeerMessage[]): number {
  let bytes = 0;
  for (const m of messages) bytes += qos1PublishBytes(m.topic, m.payload.length);
  return bytes;
}
