/**
 * The uplink of one site's gateway: the MQTT client id, the retained status topic and its
 * online/offline messages all derived from the site, so every way of running a gateway (the
 * demo, the end-to-end test, the service) connects the same way. The retained health message
 * (gateway/health/) is republished on change and at a fixed period while the uplink runs.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { SystemClock } from '../clock/system-clock.js';
import type { DeviceHealth, HealthMessage } from '../health/health-message.js';
import { HealthPublisher, type HealthPublisherOptions } from '../health/health-publisher.js';
import type { Logger } from '../log/logger.js';
import type { MessageQueue } from './message-queue.js';
import { MqttUplink, type UplinkOptions } from './mqtt-uplink.js';
import type { Subscription } from './subscriptions.js';
import type { UplinkTls } from './tls-options.js';
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
  /** The uplink's clock (timers for backoff, rate and health); default the system clock. */
  clock?: Clock;
  /** Device counts and open faults for the health message; the service wires the status model in. Default: not reported. */
  devices?: () => DeviceHealth;
  /** When the health message is republished (period, debounce of changes); defaults in health-publisher.ts. */
  health?: Pick<HealthPublisherOptions, 'periodMs' | 'minIntervalMs' | 'checkEveryMs'>;
  /** The gateway's CA, client certificate and key (loadTls); needs an mqtts:// URL. */
  tls?: UplinkTls;
  /** Topics to receive (the downlink's commands, `topicsFor(site, gateway).cmd('+')`), subscribed on every connect. */
  subscriptions?: Subscription[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The health message now; `startMono` is the clock's monotonic time when the uplink was made. */
export function healthMessage(state: 'online' | 'offline', o: SiteUplinkOptions, clock: Clock, startMono: number): HealthMessage {
  const q = o.queue;
  const oldest = q.oldest();
  const synced = clock.wallSynced();
  const upMs = Math.max(0, clock.now() - startMono);
  const devices = o.devices?.();
  return {
    state, site: o.site, gateway: o.gateway, epoch: o.epoch, version: o.version,
    startedAt: synced ? iso(clock.wallTime() - upMs) : null,
    uptimeS: Math.floor(upMs / 1000),
    clockSynced: synced,
    // A message stored before the clock was trusted has no wall time (0): no 1970 goes upstream.
    spool: { pending: q.pendingCount() + q.inflightCount(), bytes: q.totalBytes(), oldest: oldest === undefined || oldest <= 0 ? null : iso(oldest) },
    drops: q.drops(),
    devices: devices === undefined ? null : { running: devices.running, failed: devices.failed, faulty: devices.faults.length },
    faults: devices?.faults ?? [],
  };
}

/** An MqttUplink that also runs the health publisher between start() and stop(). */
export class SiteUplink extends MqttUplink {
  constructor(options: UplinkOptions, readonly health: HealthPublisher) {
    super(options);
  }

  override start(): void {
    super.start();
    this.health.start();
  }

  override async stop(): Promise<void> {
    this.health.stop();
    await super.stop();
  }
}

export function siteUplink(o: SiteUplinkOptions): SiteUplink {
  const clock = o.clock ?? new SystemClock();
  const startMono = clock.now();
  let uplink: SiteUplink | undefined;
  const health = new HealthPublisher({
    clock, ...o.health,
    build: () => healthMessage('online', o, clock, startMono),
    publish: () => uplink?.publishStatus(),
  });
  uplink = new SiteUplink({
    url: o.url, clientId: `kerb-${o.gateway}`, clock, log: o.log, queue: o.queue,
    ...(o.keepaliveS ? { keepaliveS: o.keepaliveS } : {}),
    ...(o.inflightWindow ? { inflightWindow: o.inflightWindow } : {}),
    ...(o.drainRatePerS ? { drainRatePerS: o.drainRatePerS } : {}),
    ...(o.tls ? { tls: o.tls } : {}),
    ...(o.subscriptions ? { subscriptions: o.subscriptions } : {}),
    statusTopic: topicsFor(o.site, o.gateway).status,
    onlineStatus: () => health.render(),
    offlineStatus: () => Buffer.from(JSON.stringify(healthMessage('offline', o, clock, startMono))),
  }, health);
  return uplink;
}
