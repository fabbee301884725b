/**
 * Passers-by: pedestrians and cars entering at either end and walking or driving the whole
 * street at a constant speed. Arrivals are a Poisson process whose rate follows the local time
 * of day. A passer is planned completely when it enters (position is a straight line in time),
 * and the sensors that care (PIRs, magnetometers) get the plan once and schedule their own
 * changes from it: nothing ticks while people walk.
 */
import type { Random } from '../random.js';
import type { VirtualClock } from '../virtual-clock.js';
import { DailyProfile, nextArrival } from './local-time.js';
import type { LocalTime } from './local-time.js';
import type { TimerSet } from './timer-set.js';

export type PasserKind = 'pedestrian' | 'car';
export type StreetEnd = 'west' | 'east';

export interface Passer {
  id: number;
  kind: PasserKind;
  fromEnd: StreetEnd;
  speedMps: number;
  /** Monotonic ms when it enters at its end of the street. */
  startMs: number;
  /** Monotonic ms when it leaves at the other end. */
  endMs: number;
}

export interface SpawnRequest {
  kind: PasserKind;
  /** Monotonic ms of entry; default now. */
  atMs?: number;
  /** Default: drawn at random. */
  fromEnd?: StreetEnd;
  /** Default: drawn (pedestrians 1.1–1.6 m/s, cars 8–14 m/s). */
  speedMps?: number;
}

/** Whole-street arrivals per hour at intensity 1: quiet at 03:00, peaks at 08:00 and 17:00. */
export const PEDESTRIANS_PER_HOUR = [8, 5, 3, 2, 2, 4, 15, 60, 120, 90, 70, 80, 100, 90, 80, 95, 120, 140, 110, 80, 60, 45, 30, 15];
export const CARS_PER_HOUR = [15, 8, 4, 3, 4, 10, 40, 150, 200, 140, 110, 110, 120, 110, 110, 130, 170, 210, 160, 110, 80, 60, 40, 25];

const SPEED_MPS: Record<PasserKind, [number, number]> = { pedestrian: [1.1, 1.6], car: [8, 14] };

export interface TrafficEnv {
  clock: VirtualClock;
  timers: TimerSet;
  time: LocalTime;
  westM: number;
  eastM: number;
}

export class Traffic {
  private readonly active: Passer[] = [];
  private nextId = 1;
  private readonly manualRng: Random;

  constructor(
    private readonly env: TrafficEnv,
    private readonly rng: Random,
    private readonly intensity: number,
    private readonly onPasser: (p: Passer) => void,
  ) {
    // Spawns a test asks for draw from their own stream, so they don't shift the random traffic.
    this.manualRng = rng.fork('manual');
  }

  start(): void {
    if (this.intensity <= 0) return;
    this.arrivals('pedestrian', new DailyProfile(PEDESTRIANS_PER_HOUR, this.intensity), this.rng.fork('pedestrians'));
    this.arrivals('car', new DailyProfile(CARS_PER_HOUR, this.intensity), this.rng.fork('cars'));
  }

  /** Plans one passer; it enters at atMs (default now). Returns the plan. */
  spawn(req: SpawnRequest): Passer {
    const now = this.env.clock.now();
    const passer = this.plan(req.kind, Math.max(now, req.atMs ?? now), this.manualRng, req.fromEnd, req.speedMps);
    if (passer.startMs <= now) this.enter(passer);
    else this.env.timers.at(passer.startMs, () => this.enter(passer));
    return passer;
  }

  /** Metres along the street of `p` at monotonic `ms` (outside the street before/after its trip). */
  positionAt(p: Passer, ms: number): number {
    const travelled = (p.speedMps * (ms - p.startMs)) / 1000;
    return p.fromEnd === 'west' ? this.env.westM + travelled : this.env.eastM - travelled;
  }

  /** Monotonic ms at which `p` is at `x`. */
  timeAt(p: Passer, x: number): number {
    const d = p.fromEnd === 'west' ? x - this.env.westM : this.env.eastM - x;
    return p.startMs + (1000 * d) / p.speedMps;
  }

  /** Passers on the street within `rangeM` of `x` right now. */
  inView(x: number, rangeM: number): number {
    const now = this.env.clock.now();
    this.prune(now);
    let n = 0;
    for (const p of this.active) if (Math.abs(this.positionAt(p, now) - x) <= rangeM) n++;
    return n;
  }

  private arrivals(kind: PasserKind, profile: DailyProfile, rng: Random): void {
    const next = nextArrival(rng, this.env.clock.now(), profile, this.env.time);
    if (next === undefined) return;
    this.env.timers.at(next, () => {
      this.enter(this.plan(kind, next, rng));
      this.arrivals(kind, profile, rng);
    });
  }

  private plan(kind: PasserKind, startMs: number, rng: Random, fromEnd?: StreetEnd, speedMps?: number): Passer {
    const [lo, hi] = SPEED_MPS[kind];
    const end = fromEnd ?? rng.pick<StreetEnd>(['west', 'east']);
    const speed = speedMps ?? rng.uniform(lo, hi);
    if (!(speed > 0)) throw new RangeError(`a passer needs a speed > 0 m/s, got ${speed}`);
    const lengthM = this.env.eastM - this.env.westM;
    return { id: this.nextId++, kind, fromEnd: end, speedMps: speed, startMs, endMs: startMs + (1000 * lengthM) / speed };
  }

  private enter(p: Passer): void {
    this.prune(this.env.clock.now());
    this.active.push(p);
    this.onPasser(p);
  }

  private prune(now: number): void {
    let w = 0;
    for (const p of this.active) if (p.endMs >= now) this.active[w++] = p;
    this.active.length = w;
  }
}
