/**
 * Topics the uplink subscribes to (the downlink's commands), made again on every connect: the
 * session is clean, so a broker remembers nothing between connections. Each message goes to
 * every subscription whose filter matches its topic (MQTT `+` and `#` wildcards). A refused
 * subscription (SUBACK reason >= 0x80, e.g. 0x87 when the ACL does not let this gateway read
 * there) is logged, not retried until the next connect.
 */
import type { MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';
import { reasonText } from './reason-codes.js';

export interface Subscription {
  /** A topic filter; `+` and `#` wildcards as in MQTT. */
  topic: string;
  /** Default 1. */
  qos?: 0 | 1;
  /** Called for each message on a matching topic; an exception is logged, never thrown into MQTT.js. */
  onMessage: (topic: string, payload: Buffer) => void;
}

/** True when `topic` matches the MQTT topic filter `filter`. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true; // the rest, including nothing: 'a/#' matches 'a' too
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export class Subscriptions {
  constructor(private readonly list: readonly Subscription[], private readonly log: Logger) {}

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Subscribes `client` to every filter and routes its messages; call on each connect. */
  attach(client: MqttClient): void {
    if (this.list.length === 0) return;
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
    const wanted = Object.fromEntries(this.list.map((s) => [s.topic, { qos: s.qos ?? 1 }]));
    client.subscribe(wanted, (err, granted) => {
      if (err) {
        this.log.warn('uplink.subscribe-failed', { topics: Object.keys(wanted), error: err.message });
        return;
      }
      for (const g of granted ?? []) {
        if (g.qos >= 0x80) this.log.error('uplink.subscribe-denied', { topic: g.topic, reason: reasonText(g.qos) });
        else this.log.debug('uplink.subscribed', { topic: g.topic, qos: g.qos });
      }
    });
  }

  dispatch(topic: string, payload: Buffer): void {
    for (const s of this.list) {
      if (!topicMatches(s.topic, topic)) continue;
      try {
        s.onMessage(topic, payload);
      } catch (err) {
        this.log.error('uplink.message-handler-failed', { topic, filter: s.topic, error: (err as Error).message });
      }
    }
  }
}
