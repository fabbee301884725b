/**
 * One waste bin over time. People throw rubbish in as a Poisson process (busier at lunch and in
 * the evening): the lid opens for 4–10 s and the fill steps up by ~1 %. The truck empties each
 * bin once a day at a per-bin time between 06:00 and 07:00 (lid open 20–40 s while it is tipped,
 * fill back to 1–3 %). Deposits and emptyings are one chain of timers, so lid pulses never
 * overlap and are at least a second apart.
 *
 * The ultrasonic looks down from the lid: distance = emptyCm - fill * (emptyCm - fullCm), ~0.5 cm
 * noise, a 3 % chance of a wild outlier, nonsense (5–15 cm or no echo) while the lid is open,
 * and the speed of sound at the bin's true air temperature. Temperature follows the day
 * (14–26 °C, plus a per-bin offset); a fire adds 30 °C over 2 minutes.
 */
import type { MockHal } from '../mock-hal.js';
import type { Random } from '../random.js';
import type { VirtualClock } from '../virtual-clock.js';
import { airTemperatureC, echoWidthUs } from './air.js';
import type { ResolvedDevice } from './config.js';
import type { GroundTruth } from './ground-truth.js';
import { DailyProfile, nextArrival } from './local-time.js';
import type { LocalTime } from './local-time.js';
import type { TimerSet } from './timer-set.js';

/** Relative deposit rate per local hour; scaled per bin to 40–100 deposits a day. */
export const BIN_DEPOSIT_SHAPE = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 0.8, 1.0, 0.9, 0.9, 1.2, 2.0, 1.8, 1.1, 1.0, 1.1, 1.4, 1.8, 1.8, 1.4, 1.0, 0.6, 0.4,
];
const SHAPE_SUM = BIN_DEPOSIT_SHAPE.reduce((s, x) => s + x, 0);
export const FIRE_RISE_C = 30;
export const FIRE_RAMP_MS = 120000;

export interface BinEnv {
  clock: VirtualClock;
  hal: MockHal;
  timers: TimerSet;
  truth: GroundTruth;
  time: LocalTime;
  emptyCm: number;
  fullCm: number;
}

export class Bin {
  private fillPct = 0;
  private lid: 0 | 1 = 0;
  private fireAtMs = Infinity;
  private nextEmptyMs = Infinity;
  private readonly deposits: DailyProfile;
  private readonly emptyHour: number;
  private readonly tempOffsetC: number;
  private readonly events: Random;
  private readonly noise: Random;

  constructor(private readonly env: BinEnv, readonly device: ResolvedDevice, rng: Random) {
    this.events = rng.fork('events');
    this.noise = rng.fork('noise');
    this.deposits = new DailyProfile(BIN_DEPOSIT_SHAPE, rng.uniform(40, 100) / SHAPE_SUM);
    this.emptyHour = rng.uniform(6 + 5 / 60, 7 - 5 / 60); // ± 5 min of daily jitter stays in 06–07
    this.tempOffsetC = rng.uniform(-1, 1.5);
  }

  start(): void {
    const { hal, clock, time } = this.env;
    const now = clock.now();
    const pins = this.device.pins;
    const { gain, offset } = this.device.calibration;
    hal.setLevel(pins['lid']!, 0);
    hal.setAnalog(pins['temp']!, (t) => (this.temperatureC(t) + this.noise.normal(0, 0.2) - offset) / gain);
    hal.setEcho(pins['echo']!, (t) => this.echo(t));
    this.setFill(now, this.events.uniform(10, 50));
    this.nextEmptyMs = time.nextAt(now, this.emptyHour + this.jitterHours());
    this.planNext(now);
  }

  /** Fire from `atMs`: temperature ramps up 30 °C over 2 min and stays there. */
  ignite(atMs: number): void {
    if (atMs < this.fireAtMs) this.fireAtMs = atMs;
    this.env.truth.recordFire(this.device.id, atMs);
  }

  /** True air temperature in the bin at `t`. */
  temperatureC(t: number): number {
    const fire = t < this.fireAtMs ? 0 : FIRE_RISE_C * Math.min(1, (t - this.fireAtMs) / FIRE_RAMP_MS);
    return airTemperatureC(this.env.time.hourAt(t)) + this.tempOffsetC + fire;
  }

  /** True distance from the sensor to the rubbish now, in cm. */
  distanceCm(): number {
    const { emptyCm, fullCm } = this.env;
    return emptyCm - (this.fillPct / 100) * (emptyCm - fullCm);
  }

  fill(): number {
    return this.fillPct;
  }

  lidOpen(): boolean {
    return this.lid === 1;
  }

  burning(): boolean {
    return this.env.clock.now() >= this.fireAtMs;
  }

  private echo(t: number): number {
    const rng = this.noise;
    const tempC = this.temperatureC(t);
    if (this.lid === 1) return rng.chance(0.5) ? -1 : echoWidthUs(rng.uniform(5, 15), tempC);
    if (rng.chance(0.03)) return echoWidthUs(rng.uniform(3, 400), tempC);
    return echoWidthUs(this.distanceCm() + rng.normal(0, 0.5), tempC);
  }

  private planNext(fromMs: number): void {
    const deposit = nextArrival(this.events, fromMs, this.deposits, this.env.time);
    if (deposit === undefined || this.nextEmptyMs <= deposit) {
      this.env.timers.at(Math.max(this.nextEmptyMs, fromMs), () => this.empty());
    } else {
      this.env.timers.at(deposit, () => this.deposit());
    }
  }

  private deposit(): void {
    const now = this.env.clock.now();
    this.setFill(now, Math.min(100, this.fillPct + this.events.uniform(0.5, 1.5)));
    this.openLid(this.events.uniform(4000, 10000));
  }

  private empty(): void {
    const now = this.env.clock.now();
    this.env.truth.recordEmptying(this.device.id, now);
    this.setFill(now, this.events.uniform(1, 3));
    this.nextEmptyMs = this.env.time.nextAt(now + 12 * 3600000, this.emptyHour + this.jitterHours());
    this.openLid(this.events.uniform(20000, 40000));
  }

  private openLid(forMs: number): void {
    const { hal, clock, timers } = this.env;
    const pin = this.device.pins['lid']!;
    this.lid = 1;
    hal.setLevel(pin, 1);
    timers.at(clock.now() + forMs, () => {
      this.lid = 0;
      hal.setLevel(pin, 0);
      this.planNext(clock.now() + 1000);
    });
  }

  private setFill(time: number, pct: number): void {
    this.fillPct = pct;
    this.env.truth.recordFill(this.device.id, time, pct);
  }

  private jitterHours(): number {
    return this.events.uniform(-5, 5) / 60;
  }
}
