/**
 * The uplink of one site's gateway: the MQTT client id, the retained status topic and its
 * online/offline messages all derived from the site, so every way of running a gateway (the
 * demo, the end-to-end test, the service) connects the same way.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { SystemClock } from '../clock/system-clock.js';
import type { Logger } from '../log/logger.js';
import type { MessageQueue } from './message-queue.js';
import { MqttUplink } from './mqtt-uplink.js';
import { topicsFor } from './topics.js';

export interface SiteUplinkOptions {
  url: string;
  site: string;
  gateway: string;
  epoch: number;
  version: string;
  log: Logger;
  /** The spool (or, without a writable disk, an in-memory outbox). */
  queue: MessageQueue;
  inflightWindow?: number;
  drainRatePerS?: number;
  keepaliveS?: number;
  /** The uplink's clock (timers for backoff and rate); default the system clock. */
  clock?: Clock;
}

/**
 * The retained status message: JSON, because operators read it with any MQTT tool. It carries
 * the spool's depth and the drop counts, so a gateway that had to drop data says so upstream.
 */
export function statusMessage(state: 'online' | 'offline', o: SiteUplinkOptions, startedAt: number): Buffer {
  const q = o.queue;
  const oldest = q.oldest();
  return Buffer.from(JSON.stringify({
    state, site: o.site, gateway: o.gateway, epoch: o.epoch, version: o.version, startedAt: new Date(startedAt).toISOString(),
    spool: { pending: q.pendingCount() + q.inflightCount(), bytes: q.totalBytes(), oldest: oldest === undefined ? null : new Date(oldest).toISOString() },
    drops: q.drops(),
  }));
}

export function siteUplink(o: SiteUplinkOptions): MqttUplink {
  const clock = o.clock ?? new SystemClock();
  const startedAt = clock.wallTime();
  return new MqttUplink({
    url: o.url, clientId: `kerb-${o.gateway}`, clock, log: o.log, queue: o.queue,
    ...(o.keepaliveS ? { keepaliveS: o.keepaliveS } : {}),
    ...(o.inflightWindow ? { inflightWindow: o.inflightWindow } : {}),
    ...(o.drainRatePerS ? { drainRatePerS: o.drainRatePerS } : {}),
    statusTopic: topicsFor(o.site, o.gateway).status,
    onlineStatus: () => statusMessage('online', o, startedAt),
    offlineStatus: () => statusMessage('offline', o, startedAt),
  });
}
