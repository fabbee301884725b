/**
 * One parking space over time: arrivals as a Poisson process with a time-of-day rate, stays
 * lognormal (median 45 min), some evening arrivals staying the night, never two cars at once.
 * Each visit is planned whole when the car arrives; four timers per visit record the truth and
 * plan the next one. The sensor pins read the space through parking-field.ts.
 */
import type { MockHal } from '../mock-hal.js';
import type { Random } from '../random.js';
import type { VirtualClock } from '../virtual-clock.js';
import { airTemperatureC, echoWidthUs } from './air.js';
import type { ResolvedDevice } from './config.js';
import type { GroundTruth } from './ground-truth.js';
import { DailyProfile, nextArrival } from './local-time.js';
import type { LocalTime } from './local-time.js';
import { SpaceField, carShare, distanceCm } from './parking-field.js';
import type { CarVisit } from './parking-field.js';
import type { TimerSet } from './timer-set.js';

/** Arrivals per hour at a free space. */
export const PARKING_ARRIVALS_PER_HOUR = [
  0.05, 0.04, 0.03, 0.03, 0.05, 0.1, 0.3, 0.8, 1.2, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.0, 1.1, 1.3, 1.2, 1.0, 0.7, 0.4, 0.2, 0.1,
];
const PROFILE = new DailyProfile(PARKING_ARRIVALS_PER_HOUR);
const MIN = 60000;
/** A space stays free at least this long between cars. */
const TURNOVER_MS = 20000;

export interface ParkingEnv {
  clock: VirtualClock;
  hal: MockHal;
  timers: TimerSet;
  truth: GroundTruth;
  time: LocalTime;
}

export class ParkingSpace {
  private visit: CarVisit | undefined;
  private readonly field: SpaceField;
  private readonly visits: Random;
  private readonly noise: Random;

  constructor(private readonly env: ParkingEnv, readonly device: ResolvedDevice, rng: Random) {
    this.field = new SpaceField(rng.fork('field'));
    this.visits = rng.fork('visits');
    this.noise = rng.fork('noise');
  }

  get x(): number {
    return this.device.x;
  }

  start(): void {
    const { hal } = this.env;
    const pins = this.device.pins;
    if (this.device.sensor === 'distance') {
      hal.setEcho(pins['echo']!, (now) => {
        const cm = distanceCm(this.visit, now, this.noise);
        return cm < 0 ? -1 : echoWidthUs(cm, airTemperatureC(this.env.time.hourAt(now)));
      });
    } else {
      const { gain, offset } = this.device.calibration;
      hal.setAnalog(pins['field']!, (now) => (this.field.fieldUt(now, this.visit) + this.noise.normal(0, 1) - offset) / gain);
    }
    this.planNext(this.env.clock.now());
  }

  /** A car on the street drives past the space at `atMs`: a small bump on the magnetometer. */
  carPassing(atMs: number, rng: Random): void {
    const ut = rng.uniform(1.5, 6) * (rng.chance(0.5) ? 1 : -1);
    this.field.passing(atMs, ut, this.env.clock.now());
  }

  /** True state (car at rest on the space) at this moment. */
  occupied(): boolean {
    const v = this.visit;
    const now = this.env.clock.now();
    return v !== undefined && now >= v.restMs && now < v.leaveMs;
  }

  /** The noise-free field in µT now, or undefined for a distance sensor. */
  fieldUt(): number | undefined {
    return this.device.sensor === 'distance' ? undefined : this.field.fieldUt(this.env.clock.now(), this.visit);
  }

  /** 0..1: how far the car is over the space (mid-manoeuvre in between). */
  carShare(): number {
    return Math.max(0, Math.min(1, carShare(this.visit, this.env.clock.now())));
  }

  private planNext(fromMs: number): void {
    const arriveMs = nextArrival(this.visits, fromMs, PROFILE, this.env.time);
    if (arriveMs === undefined) return;
    this.env.timers.at(arriveMs, () => this.arrive(arriveMs));
  }

  private arrive(arriveMs: number): void {
    const rng = this.visits;
    const restMs = arriveMs + rng.uniform(3000, 5000);
    const hour = this.env.time.hourAt(restMs);
    let stayMs = Math.min(20 * 60 * MIN, Math.max(3 * MIN, rng.lognormal(45, 0.9) * MIN));
    // Evening arrivals are often residents who leave the next morning.
    if ((hour >= 18 || hour < 1) && rng.chance(0.35)) {
      stayMs = this.env.time.nextAt(restMs + 2 * 60 * MIN, rng.uniform(7, 9.5)) - restMs;
    }
    const leaveMs = restMs + stayMs;
    const visit: CarVisit = {
      arriveMs,
      restMs,
      leaveMs,
      goneMs: leaveMs + rng.uniform(3000, 5000),
      deltaUt: rng.uniform(30, 80),
      clearanceCm: rng.uniform(20, 40),
    };
    this.visit = visit;
    const { timers, truth } = this.env;
    const id = this.device.id;
    timers.at(visit.restMs, () => truth.recordOccupancy(id, visit.restMs, true));
    timers.at(visit.leaveMs, () => truth.recordOccupancy(id, visit.leaveMs, false));
    timers.at(visit.goneMs, () => {
      this.visit = undefined;
      this.planNext(visit.goneMs + TURNOVER_MS);
    });
  }
}
