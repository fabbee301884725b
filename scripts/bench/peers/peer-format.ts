/**
 * A peer format in the comparison: how it would carry one gateway batch's values over MQTT, and
 * back (tests prove nothing is lost, so the byte counts compare like with like).
 */
import { qos1PublishBytes } from '../mqtt-size.js';
import type { BenchValue } from '../values.js';

export interface PeerMessage {
  topic: string;
  payload: Uint8Array;
}

export interface PeerFormat {
  name: string;
  /** The MQTT messages this format sends for one gateway batch's values. */
  encode(values: BenchValue[], site: string, gateway: string): PeerMessage[];
  /** The values back from those messages. */
  decode(messages: PeerMessage[]): BenchValue[];
}

/** Bytes on the wire: each message as a QoS 1 PUBLISH with its PUBACK. */
export function wireBytes(messages: PeerMessage[]): number {
  let bytes = 0;
  for (const m of messages) bytes += qos1PublishBytes(m.topic, m.payload.length);
  return bytes;
}
