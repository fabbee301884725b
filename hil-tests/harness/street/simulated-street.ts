/**
 * The simulated street: drives the MockHal pins of a list of lamps, parking spaces and bins over
 * virtual time so the real controllers see a plausible street, and records the ground truth to
 * check them against. Each part lives in its own file (traffic, pir, light, parking, bin); this
 * class wires them to one clock, one seed and one timer set.
 *
 * Every random process draws from its own stream forked from the seed by device id, so the same
 * seed gives the same street, and controllers reading sensors more or less often change only the
 * sensor noise they see, never the truth.
 */
import type { MockHal } from '../mock-hal.js';
import { Random } from '../random.js';
import type { VirtualClock } from '../virtual-clock.js';
import { airTemperatureC } from './air.js';
import { Bin } from './bin.js';
import { resolveStreet, streetError } from './config.js';
import type { ResolvedStreet, StreetOptions } from './config.js';
import { GroundTruth } from './ground-truth.js';
import { solarElevationDeg, lightSensor } from './light.js';
import { LocalTime } from './local-time.js';
import { ParkingSpace } from './parking.js';
import { PIR_RANGE_M, PirSensor } from './pir.js';
import type { StreetSnapshot } from './snapshot.js';
import { TimerSet } from './timer-set.js';
import { Traffic } from './traffic.js';
import type { Passer, SpawnRequest } from './traffic.js';

export type { StreetDevice, StreetOptions, StreetError, StreetErrorCode } from './config.js';
export { GroundTruth };
export type { OccupancyChange, FillPoint } from './ground-truth.js';
export type { Passer, SpawnRequest, PasserKind, StreetEnd } from './traffic.js';
export type { StreetSnapshot, DeviceSnapshot } from './snapshot.js';

export class SimulatedStreet {
  readonly truth: GroundTruth;
  /** The street's ends in metres: passers-by enter and leave here. */
  readonly westM: number;
  readonly eastM: number;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private readonly clock: VirtualClock;
  private readonly hal: MockHal;
  private readonly config: ResolvedStreet;
  private readonly rng: Random;
  private readonly timers: TimerSet;
  private readonly time: LocalTime;
  private readonly traffic: Traffic;
  private readonly pirs: PirSensor[] = [];
  private readonly spaces: ParkingSpace[] = [];
  private readonly bins = new Map<string, Bin>();

  constructor(options: StreetOptions) {
    this.config = resolveStreet(options);
    this.clock = options.clock;
    this.hal = options.hal;
    this.westM = this.config.westM;
    this.eastM = this.config.eastM;
    this.rng = new Random(options.seed);
    this.truth = new GroundTruth(this.config.devices);
    this.timers = new TimerSet(this.clock);
    this.time = new LocalTime(this.clock, this.config.utcOffsetMin);
    const env = { clock: this.clock, hal: this.hal, timers: this.timers, truth: this.truth, time: this.time };
    const passing = this.rng.fork('passing');
    this.traffic = new Traffic(
      { ...env, westM: this.westM, eastM: this.eastM },
      this.rng.fork('traffic'),
      this.config.intensity,
      (p) => this.passerEntered(p, passing),
    );
    const binEnv = { ...env, emptyCm: this.config.binEmptyCm, fullCm: this.config.binFullCm };
    for (const d of this.config.devices) {
      const rng = this.rng.fork('device:' + d.id);
      if (d.kind === 'lamp') this.pirs.push(new PirSensor(env, d.id, d.pins['pir']!, d.x));
      else if (d.kind === 'parking') this.spaces.push(new ParkingSpace(env, d, rng));
      else this.bins.set(d.id, new Bin(binEnv, d, rng));
    }
  }

  start(): void {
    if (this.state !== 'idle') throw streetError('E_STREET_STATE', `start() on a street that is ${this.state}`);
    this.state = 'running';
    const { latitude, longitude } = this.config;
    for (const d of this.config.devices) {
      if (d.kind !== 'lamp') continue;
      this.hal.setLevel(d.pins['pir']!, 0);
      const light = d.pins['light'];
      if (light !== undefined) {
        const rng = this.rng.fork('light:' + d.id);
        this.hal.setAnalog(light, lightSensor((ms) => this.time.wallAt(ms), latitude, longitude, rng));
      }
    }
    for (const s of this.spaces) s.start();
    for (const b of this.bins.values()) b.start();
    this.traffic.start();
  }

  /** Clears every timer of the street. Pins keep their last level; analog and echo keep answering. */
  stop(): void {
    this.state = 'stopped';
    this.timers.clearAll();
  }

  /** Sends one passer-by down the street (a test hook; works with intensity 0 and before start). */
  spawn(request: SpawnRequest): Passer {
    if (this.state === 'stopped') throw streetError('E_STREET_STATE', 'spawn() on a stopped street');
    return this.traffic.spawn(request);
  }

  /** Sets bin `id` on fire at `atMs` (default now): +30 °C over 2 minutes. */
  igniteBin(id: string, atMs?: number): void {
    const bin = this.bins.get(id);
    if (bin === undefined) throw streetError('E_STREET_UNKNOWN_DEVICE', `no bin with id ${JSON.stringify(id)} on this street`);
    bin.ignite(atMs ?? this.clock.now());
  }

  /** The simulated state right now, per device (for the demo screen). */
  snapshot(): StreetSnapshot {
    const now = this.clock.now();
    const hour = this.time.hourAt(now);
    const { latitude, longitude } = this.config;
    const devices: StreetSnapshot['devices'] = [];
    for (const p of this.pirs) {
      devices.push({ id: p.lampId, kind: 'lamp', x: p.x, passersInView: this.traffic.inView(p.x, PIR_RANGE_M), pir: p.level() });
    }
    for (const s of this.spaces) {
      const fieldUt = s.fieldUt();
      devices.push({
        id: s.device.id, kind: 'parking', x: s.x, occupied: s.occupied(), carShare: s.carShare(),
        ...(fieldUt === undefined ? {} : { fieldUt }),
      });
    }
    for (const b of this.bins.values()) {
      devices.push({
        id: b.device.id, kind: 'bin', x: b.device.x, fillPct: b.fill(), lidOpen: b.lidOpen(),
        temperatureC: b.temperatureC(now), burning: b.burning(),
      });
    }
    return {
      time: now,
      wallTime: this.time.wallAt(now),
      localHour: hour,
      sunElevationDeg: solarElevationDeg(this.time.wallAt(now), latitude, longitude),
      airTemperatureC: airTemperatureC(hour),
      devices,
    };
  }

  private passerEntered(p: Passer, rng: Random): void {
    for (const pir of this.pirs) {
      const a = this.traffic.timeAt(p, pir.x - PIR_RANGE_M);
      const b = this.traffic.timeAt(p, pir.x + PIR_RANGE_M);
      const enter = Math.max(p.startMs, Math.min(a, b));
      const exit = Math.min(p.endMs, Math.max(a, b));
      if (exit > enter) pir.see(enter, exit);
    }
    if (p.kind !== 'car') return;
    for (const s of this.spaces) s.carPassing(this.traffic.timeAt(p, s.x), rng);
  }
}
