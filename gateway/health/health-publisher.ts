/**
 * When the retained health message is published: at once on connect (the uplink does that),
 * when its content changes, and at a fixed period so a dashboard sees a fresh uptime and can
 * tell a live gateway from a stale retained message.
 *
 * Changes are found by looking, not by being told: every `checkEveryMs` the message is built
 * and compared with the last one published, uptime left out. A change is published at most
 * once per `minIntervalMs` (a flapping fault cannot flood the broker); the period republishes
 * whatever the content. Every publish goes through render(), which the uplink calls to build
 * the payload, so a publish the uplink makes on its own (on connect) counts too. All time is
 * the uplink's clock; stop() leaves no timer.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import { healthFingerprint, type HealthMessage } from './health-message.js';

export interface HealthPublisherOptions {
  clock: Clock;
  /** The online message as it is now. */
  build: () => HealthMessage;
  /** Asks the uplink to publish the status now; it calls render() if the link is up. */
  publish: () => void;
  /** Republish at least this often, ms; default 60 000. */
  periodMs?: number;
  /** Publish a change no sooner than this after the previous publish, ms; default 5 000. */
  minIntervalMs?: number;
  /** How often the content is compared, ms; default 1 000. */
  checkEveryMs?: number;
}

export class HealthPublisher {
  private readonly periodMs: number;
  private readonly minIntervalMs: number;
  private readonly checkEveryMs: number;
  private timer: TimerId | undefined;
  private lastAt = -Infinity;
  private lastFingerprint = '';
  private published = 0;

  constructor(private readonly o: HealthPublisherOptions) {
    this.periodMs = o.periodMs ?? 60_000;
    this.minIntervalMs = o.minIntervalMs ?? 5_000;
    this.checkEveryMs = o.checkEveryMs ?? 1_000;
    const problems: string[] = [];
    if (!(this.periodMs > 0)) problems.push(`periodMs must be > 0, got ${this.periodMs}`);
    if (!(this.minIntervalMs >= 0 && this.minIntervalMs <= this.periodMs)) problems.push(`minIntervalMs must be 0..periodMs, got ${this.minIntervalMs}`);
    if (!(this.checkEveryMs > 0)) problems.push(`checkEveryMs must be > 0, got ${this.checkEveryMs}`);
    if (problems.length > 0) throw new RangeError(`health publisher: ${problems.join('; ')}`);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = this.o.clock.setInterval(() => this.check(), this.checkEveryMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** The online payload, recorded as published now: the uplink's onlineStatus. */
  render(): Buffer {
    const message = this.o.build();
    this.lastAt = this.o.clock.now();
    this.lastFingerprint = healthFingerprint(message);
    this.published++;
    return Buffer.from(JSON.stringify(message));
  }

  /** Online messages rendered so far. */
  count(): number {
    return this.published;
  }

  /** Publishes if the period is over, or if the content changed and the last publish is old enough. */
  check(): void {
    const since = this.o.clock.now() - this.lastAt;
    if (since >= this.periodMs) {
      this.o.publish();
      return;
    }
    if (since < this.minIntervalMs) return;
    if (healthFingerprint(this.o.build()) !== this.lastFingerprint) this.o.publish();
  }
}
