/**
 * A device on the bench for the scenario suites: a VirtualClock at a chosen wall time, a MockHal,
 * one device, and everything it emitted, with small queries over that record.
 *
 * One scenario table, two targets: every suite that makes its `test` with twoTargets() runs each
 * scenario twice, once with the controller hosted on the mock (as the gateway hosts it) and once
 * as a node: the compiled bundle in QuickJS behind fake Espruino globals on the same MockHal,
 * its outputs arriving over the serial link as the gateway decodes them.
 */
import { suite } from 'uvu';
import type { Controller, ControllerContext, DeviceEvent, DeviceKind, Location, Output, Reading } from '../../firmware/devices/types.js';
import { createController, type ConfigByKind } from '../../firmware/devices/create.js';
import { BundleNode, nodeBuild } from '../harness/bundle-node.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

export type Target = 'hosted' | 'bundle';
export const TARGETS: Target[] = ['hosted', 'bundle'];

let target: Target = 'hosted';
const live: BundleNode[] = [];

type TestFn = (name: string, fn: () => void | Promise<void>) => void;

/** A `test` that registers each scenario once per target; `test.run()` runs both suites. */
export function twoTargets(name: string): TestFn & { run(): void } {
  const suites = TARGETS.map((t) => {
    const s = suite(`${name} [${t}]`);
    if (t === 'bundle') s.before(async () => void (await quickJsModule()));
    s.before.each(() => {
      target = t;
    });
    s.after.each(() => {
      for (const node of live.splice(0)) node.stop();
      target = 'hosted';
    });
    return s;
  });
  const test = (title: string, fn: () => void | Promise<void>): void => {
    for (const s of suites) s(title, fn);
  };
  return Object.assign(test, { run: () => suites.forEach((s) => s.run()) });
}

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
  readonly out: Output[];
  readonly device: Controller;
  readonly target: Target = target;

  constructor(o: RigOptions<K>) {
    this.clock = new VirtualClock({ startWall: o.startWall, synced: o.synced ?? true });
    this.hal = new MockHal(this.clock);
    if (this.target === 'bundle') {
      const node = new BundleNode({ clock: this.clock, hal: this.hal, build: nodeBuild(o.kind, o.pins, o.config), location: o.location ?? AMSTERDAM });
      live.push(node);
      this.device = node;
      this.out = node.gw.outputs;
      return;
    }
    this.out = [];
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
