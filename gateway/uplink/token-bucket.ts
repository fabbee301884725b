/**
 * A token bucket on the injected clock: `ratePerS` sustained, `burst` at once. The uplink takes
 * one token per message, so a gateway draining a day's backlog after an outage sends at a rate
 * the broker was sized for, not as fast as its link allows.
 */
import type { Clock } from '../../firmware/hal/clock.js';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly clock: Clock, private readonly ratePerS: number, private readonly burst: number) {
    if (!(ratePerS > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs a rate > 0 and a burst >= 1, got ${ratePerS}, ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerS);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerS) / 1000);
    this.last = now;
  }
}
