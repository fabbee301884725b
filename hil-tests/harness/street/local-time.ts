/**
 * Local time of day on the simulated street, derived from the clock's wall time so a test that
 * starts the clock at 07:55 gets the morning rush. Profiles give a rate per local hour and are
 * interpolated linearly between hours, so rates change smoothly instead of stepping at :00.
 */
import type { Random } from '../random.js';
import type { VirtualClock } from '../virtual-clock.js';

export const HOUR_MS = 3600000;
export const DAY_MS = 24 * HOUR_MS;

export class LocalTime {
  constructor(private readonly clock: VirtualClock, private readonly utcOffsetMin: number) {}

  /** Wall time (ms since the epoch, UTC) at monotonic time `ms`. */
  wallAt(ms: number): number {
    return this.clock.wallTime() + (ms - this.clock.now());
  }

  /** Local hour of day, 0 <= h < 24, at monotonic time `ms`. */
  hourAt(ms: number): number {
    const local = this.wallAt(ms) + this.utcOffsetMin * 60000;
    return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  }

  /** The first monotonic time after `fromMs` at which the local clock reads `hour` (fractional). */
  nextAt(fromMs: number, hour: number): number {
    let delta = (hour - this.hourAt(fromMs)) * HOUR_MS;
    if (delta <= 0) delta += DAY_MS;
    return fromMs + delta;
  }
}

/** A rate per local hour: 24 values, the value at h:00; linear in between, wrapping at midnight. */
export class DailyProfile {
  readonly peak: number;

  constructor(private readonly hourly: readonly number[], private readonly scale = 1) {
    if (hourly.length !== 24) throw new RangeError(`a daily profile needs 24 hourly values, got ${hourly.length}`);
    this.peak = Math.max(...hourly) * scale;
  }

  at(hour: number): number {
    const h = Math.floor(hour) % 24;
    const f = hour - Math.floor(hour);
    return (this.hourly[h]! * (1 - f) + this.hourly[(h + 1) % 24]! * f) * this.scale;
  }
}

/**
 * Next event of a Poisson process whose rate (per hour) follows `profile` in local time, by
 * thinning: candidates at the peak rate, each kept with probability rate/peak. Exact for any
 * rate shape below the peak, and needs no timer for rejected candidates. Undefined if the rate is
 * zero everywhere.
 */
export function nextArrival(rng: Random, fromMs: number, profile: DailyProfile, time: LocalTime): number | undefined {
  if (!(profile.peak > 0)) return undefined;
  const peakPerMs = profile.peak / HOUR_MS;
  let t = fromMs;
  for (;;) {
    t += rng.exponential(peakPerMs);
    if (rng.next() * profile.peak < profile.at(time.hourAt(t))) return t;
  }
}
