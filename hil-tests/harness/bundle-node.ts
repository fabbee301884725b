/**
 * A device as a node: its compiled bundle (kerb build's bundler, checked against the allowlist)
 * running in the fake Espruino, its Serial1 wired to a gateway end. It implements Controller, so
 * the scenario suites drive it exactly as they drive a controller hosted on the mock: the same
 * MockHal test controls play the street, and what the node reports arrives as the gateway
 * decodes it. Everything between the two ends takes zero virtual time (0 ms hops), so a
 * scenario's timings hold on both targets.
 */
import type { Command, CommandResult, Controller, DeviceKind, Location, StateValue } from '../../firmware/devices/types.js';
import type { EspruinoBuild } from '../../firmware/targets/espruino/espruino-build.js';
import { checkBundle } from '../../scripts/build/allowlist.js';
import { bundleFirmwareSync } from '../../scripts/build/bundle.js';
import { PACKAGE_ROOT } from '../../scripts/paths.js';
import { FakeEspruino } from './espruino/fake-espruino.js';
import type { FakeStorage } from './espruino/fake-storage.js';
import { GatewayEnd } from './gateway-end.js';
import type { MockHal } from './mock-hal.js';
import type { VirtualClock } from './virtual-clock.js';

export function nodeBuild(kind: DeviceKind, pins: { [role: string]: string }, config: unknown, id = 'node-1'): EspruinoBuild {
  return {
    id, kind, fw: '0.0.0-test', profile: 'test0000', pins, config, port: 'Serial1', baud: 115200,
    safeAfter: 5, stableMs: 60_000, watchdogS: 10,
  };
}

const bundles = new Map<string, string>();

/** The bundle for `build`, built once per distinct build and refused if it breaks the allowlist. */
export function firmwareFor(build: EspruinoBuild): string {
  const key = JSON.stringify(build);
  let code = bundles.get(key);
  if (code === undefined) {
    code = bundleFirmwareSync(PACKAGE_ROOT, build).code;
    const bad = checkBundle(code);
    if (bad.length > 0) throw new Error(`the bundle breaks the Espruino allowlist: ${JSON.stringify(bad.slice(0, 3))}`);
    bundles.set(key, code);
  }
  return code;
}

export interface BundleNodeOptions {
  clock: VirtualClock;
  hal: MockHal;
  build: EspruinoBuild;
  location: Location;
  storage?: FakeStorage;
}

/** Steps that zero-time message exchanges may take before they count as stuck. */
const MAX_STEPS = 500;

export class BundleNode implements Controller {
  readonly kind: DeviceKind;
  readonly node: FakeEspruino;
  readonly gw: GatewayEnd;
  private readonly code: string;
  private started = false;

  constructor(private readonly o: BundleNodeOptions) {
    this.kind = o.build.kind;
    this.code = firmwareFor(o.build);
    this.node = FakeEspruino.createLoaded({ clock: o.clock, hal: o.hal, ...(o.storage ? { storage: o.storage } : {}) });
    const clock = o.clock;
    // The gateway's end opens once the node has booted and opened Serial1, as a gateway already
    // listening would: neither hello is lost, so starting takes no virtual time.
    this.gw = new GatewayEnd(clock, (bytes) => this.node.serial1.send(bytes), { deferOpen: true });
    this.node.serial1.onWrite((bytes) => this.gw.receive(bytes));
    // The gateway's driver sends the time and place after every hello, the place alone while its
    // own clock is not trusted, and the time again once NTP has set it.
    this.gw.onHello = () => this.setup();
    const setWall = clock.setWall.bind(clock);
    clock.setWall = (epochMs: number, synced = true) => {
      setWall(epochMs, synced);
      if (synced) this.setup();
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.node.flash(this.code);
    this.gw.open();
    this.pump(() => this.gw.state !== undefined, 'the node to start its controller');
  }

  stop(): void {
    this.node.dispose();
    this.gw.stop();
  }

  command(cmd: Command): CommandResult {
    const id = this.gw.command(cmd);
    this.pump(() => this.gw.result(id) !== undefined, `the answer to '${cmd.name}'`);
    const r = this.gw.result(id)!;
    return { ok: r.code === 'OK', code: r.code, message: r.message };
  }

  state(): { [key: string]: StateValue } {
    return { ...this.gw.state };
  }

  private setup(): void {
    const { latitude, longitude } = this.o.location;
    this.gw.setup(this.o.clock.wallSynced() ? this.o.clock.wallTime() : null, latitude, longitude);
  }

  /** Runs what is due now until `done`, without moving the clock. */
  private pump(done: () => boolean, what: string): void {
    for (let i = 0; i < MAX_STEPS && !done(); i++) this.o.clock.advance(0);
    if (!done()) {
      const errors = this.node.errors.map((e) => e.message).join('; ');
      throw new Error(`timed out waiting for ${what}${errors ? ` (node errors: ${errors})` : ''}`);
    }
  }
}
