/**
 * What really happened on the simulated street, recorded as it happens, to check the system
 * against: PIR rising edges per lamp, occupancy changes per parking space, fill level, emptyings
 * and fires per bin. Times are monotonic ms (clock.now()). Truth is known only up to the clock's
 * present: fillAt() for a future time answers with the latest known fill.
 */
import { streetError } from './config.js';
import type { StreetDeviceKind } from './config.js';

export interface OccupancyChange {
  /** When the car came to rest (occupied) or started leaving (free). */
  time: number;
  occupied: boolean;
}

export interface FillPoint {
  time: number;
  /** True fill, 0..100 %. */
  pct: number;
}

interface DeviceTruth {
  kind: StreetDeviceKind;
  motion: number[];
  occupancy: OccupancyChange[];
  fill: FillPoint[];
  emptied: number[];
  fires: number[];
}

export class GroundTruth {
  private readonly devices = new Map<string, DeviceTruth>();

  constructor(devices: ReadonlyArray<{ id: string; kind: StreetDeviceKind }>) {
    for (const d of devices) {
      this.devices.set(d.id, { kind: d.kind, motion: [], occupancy: [], fill: [], emptied: [], fires: [] });
    }
  }

  // ---- recording (the street calls these) ----

  recordMotion(id: string, time: number): void {
    this.get(id, 'lamp').motion.push(time);
  }

  recordOccupancy(id: string, time: number, occupied: boolean): void {
    this.get(id, 'parking').occupancy.push({ time, occupied });
  }

  recordFill(id: string, time: number, pct: number): void {
    this.get(id, 'bin').fill.push({ time, pct });
  }

  recordEmptying(id: string, time: number): void {
    this.get(id, 'bin').emptied.push(time);
  }

  recordFire(id: string, time: number): void {
    this.get(id, 'bin').fires.push(time);
  }

  // ---- queries ----

  /** PIR rising-edge times of a lamp: what its controller should count as motion. */
  motionTimes(id: string): number[] {
    return this.get(id, 'lamp').motion.slice();
  }

  /** Rising edges with fromMs <= time < toMs. */
  motionCount(id: string, fromMs: number, toMs: number): number {
    let n = 0;
    for (const t of this.get(id, 'lamp').motion) if (t >= fromMs && t < toMs) n++;
    return n;
  }

  occupancyChanges(id: string): OccupancyChange[] {
    return this.get(id, 'parking').occupancy.map((c) => ({ ...c }));
  }

  /** Occupied at `ms` by the recorded changes (free before the first). */
  occupiedAt(id: string, ms: number): boolean {
    let occupied = false;
    for (const c of this.get(id, 'parking').occupancy) {
      if (c.time > ms) break;
      occupied = c.occupied;
    }
    return occupied;
  }

  /** True fill % at `ms`; before the first record, the fill the bin started with. */
  fillAt(id: string, ms: number): number {
    const fill = this.get(id, 'bin').fill;
    if (fill.length === 0) throw streetError('E_STREET_STATE', `bin ${id} has no fill record yet (street not started?)`);
    let lo = 0;
    let hi = fill.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fill[mid]!.time <= ms) lo = mid;
      else hi = mid - 1;
    }
    return fill[lo]!.pct;
  }

  fillHistory(id: string): FillPoint[] {
    return this.get(id, 'bin').fill.map((p) => ({ ...p }));
  }

  emptyingTimes(id: string): number[] {
    return this.get(id, 'bin').emptied.slice();
  }

  fireTimes(id: string): number[] {
    return this.get(id, 'bin').fires.slice();
  }

  /** Everything, as plain data (for determinism checks and dumping a run). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [id, t] of this.devices) out[id] = t;
    return out;
  }

  private get(id: string, kind: StreetDeviceKind): DeviceTruth {
    const t = this.devices.get(id);
    if (t === undefined || t.kind !== kind) {
      throw streetError('E_STREET_UNKNOWN_DEVICE', `no ${kind} with id ${JSON.stringify(id)} on this street`);
    }
    return t;
  }
}
