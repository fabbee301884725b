/**
 * A shipped profile's bundle on the bench: built as `kerb build --profile` builds it, running in
 * the fake Espruino (QuickJS), its Serial1 wired to a gateway end that answers every hello with
 * the time and place, as the gateway's driver does. Unlike BundleNode (a Controller for the
 * scenario suites) the wire is the test's: it can tamper with either direction, power-cycle
 * the node or let it hang, and sees every hello.
 */
import type { Location } from '../../firmware/devices/types.js';
import type { EspruinoBuild } from '../../firmware/targets/espruino/espruino-build.js';
import { resolveTarget } from '../../scripts/build/firmware-target.js';
import { PROFILES_DIR } from '../../scripts/paths.js';
import { KERB_VERSION } from '../../scripts/version.js';
import { AMSTERDAM } from '../devices/rig.js';
import { firmwareFor } from '../harness/bundle-node.js';
import { FakeEspruino } from '../harness/espruino/fake-espruino.js';
import { FakeStorage } from '../harness/espruino/fake-storage.js';
import type { Hello } from '../../firmware/link/messages.js';
import { GatewayEnd } from '../harness/gateway-end.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

/** The build `kerb build --profile <profile> --device-id <id>` makes. */
export function profileBuild(profile: string, deviceId: string): EspruinoBuild {
  return resolveTarget({ profile, deviceId, profilesDir: PROFILES_DIR, fw: KERB_VERSION }).build;
}

export interface BenchOptions {
  build: EspruinoBuild;
  /** The bundle to flash (default: the harness's build of `build`). */
  code?: string;
  /** Wall time at monotonic 0 (default: the VirtualClock's, 2026-06-21 00:00 UTC). */
  startWall?: number;
  location?: Location;
  /** CPU budget per guest callback, wall-clock ms (the fake's default is 1000). */
  cpuBudgetMs?: number;
  /** Bytes the gateway end wrote, on their way to the node (default: delivered unchanged). */
  toNode?: (bytes: Uint8Array, deliver: (bytes: Uint8Array) => void) => void;
  /** Bytes the node wrote, on their way to the gateway end (default: delivered unchanged). */
  toGateway?: (bytes: Uint8Array, deliver: (bytes: Uint8Array) => void) => void;
}

export interface Bench {
  build: EspruinoBuild;
  clock: VirtualClock;
  hal: MockHal;
  storage: FakeStorage;
  node: FakeEspruino;
  gw: GatewayEnd;
  /** Disposes the node and stops the gateway end: nothing is left scheduled. */
  stop(): void;
}

/** Flashes the bundle and opens the gateway end once the node listens (no hello is lost). */
export function bench(o: BenchOptions): Bench {
  const clock = new VirtualClock({ startWall: o.startWall });
  const hal = new MockHal(clock);
  const storage = new FakeStorage();
  const node = FakeEspruino.createLoaded({
    clock, hal, storage, ...(o.cpuBudgetMs !== undefined ? { cpuBudgetMs: o.cpuBudgetMs } : {}),
  });
  const location = o.location ?? AMSTERDAM;
  const toNode = o.toNode;
  const gw = new GatewayEnd(clock, (bytes) => (toNode ? toNode(bytes, (b) => node.serial1.send(b)) : node.serial1.send(bytes)), {
    deferOpen: true, setup: { wall: () => clock.wallTime(), location },
  });
  const toGateway = o.toGateway;
  node.serial1.onWrite((bytes) => (toGateway ? toGateway(bytes, (b) => gw.receive(b)) : gw.receive(bytes)));
  node.flash(o.code ?? firmwareFor(o.build));
  gw.open();
  return {
    build: o.build, clock, hal, storage, node, gw,
    stop: () => {
      node.dispose();
      gw.stop();
    },
  };
}

/**
 * The hellos a gateway end heard, a boot's repeats folded into one: a node says its hello again
 * to every new gateway hello, so the first meeting of the two ends carries it twice.
 */
export function bootHellos(gw: GatewayEnd): Hello[] {
  const out: Hello[] = [];
  for (const h of gw.hellos) {
    const last = out[out.length - 1];
    if (last === undefined || JSON.stringify(last) !== JSON.stringify(h)) out.push(h);
  }
  return out;
}
