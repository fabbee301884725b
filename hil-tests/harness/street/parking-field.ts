/**
 * What a parking space's sensors see, as functions of time so they cost no timers:
 *
 * - magnetometer: the earth's field (40–50 µT per space) with a slow drift of a few µT over
 *   hours, plus the parked car (30–80 µT per car) faded in and out over the manoeuvre with a
 *   couple of wobbles, plus brief (< 3 s) bumps of a few µT from cars driving past, plus ~1 µT
 *   sensor noise;
 * - ultrasonic, in the ground looking up: free gives no echo or a far one (250–400 cm), a car
 *   its underside (20–40 cm per car); during a manoeuvre either.
 */
import type { Random } from '../random.js';

export interface CarVisit {
  /** Starts manoeuvring in. */
  arriveMs: number;
  /** Comes to rest: occupied from here. */
  restMs: number;
  /** Starts leaving: free from here. */
  leaveMs: number;
  /** Clear of the space. */
  goneMs: number;
  deltaUt: number;
  clearanceCm: number;
}

/** A passing car's bump: a Gaussian of width ~0.4 s, cut at ±1.4 s so it lasts < 3 s. */
interface Bump {
  atMs: number;
  ut: number;
}
const BUMP_SIGMA_MS = 400;
const BUMP_HALF_SPAN_MS = 1400;

/** Share of a car's field present at `t` (0 free .. 1 parked), wobbling while it manoeuvres. */
export function carShare(v: CarVisit | undefined, t: number): number {
  if (v === undefined || t < v.arriveMs || t >= v.goneMs) return 0;
  if (t >= v.restMs && t < v.leaveMs) return 1;
  const s = t < v.restMs ? (t - v.arriveMs) / (v.restMs - v.arriveMs) : (t - v.leaveMs) / (v.goneMs - v.leaveMs);
  // Two back-and-forth wobbles that die out as the car settles (or gets clear).
  const inward = s + 0.3 * Math.sin(4 * Math.PI * s) * (1 - s);
  return t < v.restMs ? inward : 1 - inward;
}

export class SpaceField {
  private readonly earthUt: number;
  private readonly drift: Array<{ ut: number; periodMs: number; phase: number }>;
  private bumps: Bump[] = [];

  constructor(rng: Random) {
    this.earthUt = rng.uniform(40, 50);
    this.drift = [
      { ut: rng.uniform(1, 2.5), periodMs: rng.uniform(5, 8) * 3600000, phase: rng.uniform(0, 2 * Math.PI) },
      { ut: rng.uniform(0.5, 1.5), periodMs: rng.uniform(13, 23) * 3600000, phase: rng.uniform(0, 2 * Math.PI) },
    ];
  }

  /** A car drives past at `atMs` with a bump of `ut` (either sign). */
  passing(atMs: number, ut: number, nowMs: number): void {
    this.bumps = this.bumps.filter((b) => b.atMs + BUMP_HALF_SPAN_MS >= nowMs);
    this.bumps.push({ atMs, ut });
  }

  /** The noise-free field in µT at `t`. */
  fieldUt(t: number, visit: CarVisit | undefined): number {
    let ut = this.earthUt;
    for (const d of this.drift) ut += d.ut * Math.sin((2 * Math.PI * t) / d.periodMs + d.phase);
    if (visit !== undefined) ut += visit.deltaUt * carShare(visit, t);
    for (const b of this.bumps) {
      const dt = t - b.atMs;
      if (Math.abs(dt) < BUMP_HALF_SPAN_MS) ut += b.ut * Math.exp(-0.5 * (dt / BUMP_SIGMA_MS) ** 2);
    }
    return ut;
  }
}

/** The distance an upward-looking ultrasonic sensor reports at `t`, or -1 for no echo. */
export function distanceCm(visit: CarVisit | undefined, t: number, rng: Random): number {
  const share = carShare(visit, t);
  const overCar = share >= 1 || (share > 0 && rng.next() < share);
  if (overCar && visit !== undefined) return visit.clearanceCm + rng.normal(0, 0.5);
  return rng.chance(0.7) ? -1 : rng.uniform(250, 400);
}
