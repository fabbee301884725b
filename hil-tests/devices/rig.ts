/**
 * A device on the bench for the scenario suites: a VirtualClock at a chosen wall time, a MockHal,
 * one controller, and everything it emitted, with small queries over that record.
 */
import type { Controller, ControllerContext, DeviceEvent, DeviceKind, Location, Output, Reading } from '../../firmware/devices/types.js';
import { createController, type ConfigByKind } from '../../firmware/devices/create.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

/** Amsterdam; on 2026-06-21 the sun sets 20:06 UTC and rises 03:18 UTC. */
export const AMSTERDAM: Location = { latitude: 52.37, longitude: 4.9 };

export const S = 1000;
export const MIN = 60 * S;

export interface RigOptions<K extends DeviceKind> {
  kind: K;
  config: ConfigByKind[K];
  pins: { [role: string]: string };
  startWall?: number;
  synced?: boolean;
  location?: Location;
}

export class Rig<K extends DeviceKind> {
  readonly clock: VirtualClock;
  readonly hal: MockHal;
  readonly out: Output[] = [];
  readonly device: Controller;

  constructor(o: RigOptions<K>) {
    this.clock = new VirtualClock({ startWall: o.startWall, synced: o.synced ?? true });
    this.hal = new MockHal(this.clock);
    const ctx: ControllerContext<ConfigByKind[K]> = {
      hal: this.hal, clock: this.clock, pins: o.pins, config: o.config, location: o.location ?? AMSTERDAM,
      emit: (output) => this.out.push(output),
    };
    this.device = createController(o.kind, ctx);
  }

  events(name?: string): DeviceEvent[] {
    const all = this.out.filter((o): o is DeviceEvent => o.type === 'event');
    return name === undefined ? all : all.filter((e) => e.name === name);
  }

  readings(metric: string): Reading[] {
    return this.out.filter((o): o is Reading => o.type === 'reading' && o.metric === metric);
  }

  values(metric: string): number[] {
    return this.readings(metric).map((r) => r.value);
  }

  /** Forget what was emitted so far (after setting the scene). */
  clear(): void {
    this.out.length = 0;
  }

  state(key: string): unknown {
    return this.device.state()[key];
  }
}
