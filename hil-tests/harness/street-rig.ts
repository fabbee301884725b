/**
 * A site file's devices on mock boards, a simulated street driving their pins and the real
 * gateway hosting their controllers, all on one virtual clock. The demo (`kerb demo`) and the
 * end-to-end tests build exactly this, so what the demo shows is what the tests prove.
 */
import type { Site, SiteDevice } from '../../device-profiles/types.js';
import { Gateway, type BatchSink } from '../../gateway/gateway.js';
import { SiteBackends } from '../../gateway/hal/backends.js';
import type { Logger } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { boardPin, deviceBoard } from './device-board.js';
import { followPin } from './firmata-pin-follower.js';
import { MockFirmataBoard } from './mock-firmata-board.js';
import { MockHal } from './mock-hal.js';
import { SimulatedStreet, type StreetDevice } from './street/simulated-street.js';
import { VirtualClock } from './virtual-clock.js';

export interface RigOptions {
  site: Site;
  seed: number;
  /** Simulated wall time at the start, ms since the Unix epoch. */
  startWall: number;
  sink: BatchSink;
  epoch: number;
  log: Logger;
  batchIntervalMs?: number;
  /** Traffic multiplier for the street (default 1). */
  intensity?: number;
  utcOffsetMin?: number;
  /** The uplink's drop counts, reported upstream when they change. */
  drops?: () => Record<string, number>;
  onDropsReported?: () => void;
}

export interface Rig {
  clock: VirtualClock;
  hal: MockHal;
  street: SimulatedStreet;
  gateway: Gateway;
  /** Metres along the street per device id. */
  positions: Map<string, number>;
  /** The mock Firmata boards behind `transport: firmata` devices, by port. */
  firmataBoards: Map<string, MockFirmataBoard>;
}

/** Distance along the street's main axis, from the device locations (equirectangular metres). */
export function positionsAlongStreet(devices: ReadonlyArray<{ id: string; location: { latitude: number; longitude: number } }>): Map<string, number> {
  const out = new Map<string, number>();
  if (devices.length === 0) return out;
  const lat0 = devices[0]!.location.latitude;
  const lon0 = devices[0]!.location.longitude;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 110_540;
  const xy = devices.map((d) => [(d.location.longitude - lon0) * kx, (d.location.latitude - lat0) * ky] as const);
  let far = xy[0]!;
  for (const p of xy) if (Math.hypot(p[0], p[1]) > Math.hypot(far[0], far[1])) far = p;
  const len = Math.hypot(far[0], far[1]) || 1;
  const along = xy.map((p) => (p[0] * far[0] + p[1] * far[1]) / len);
  const min = Math.min(...along);
  devices.forEach((d, i) => out.set(d.id, along[i]! - min));
  return out;
}

function streetDevice(d: SiteDevice, x: number): StreetDevice {
  const pins: Record<string, string> = {};
  for (const [role, pin] of Object.entries(d.pins)) pins[role] = boardPin(d.id, pin);
  const device: StreetDevice = { id: d.id, kind: d.kind, x, pins };
  if (d.kind === 'parking') {
    device.sensor = d.config.sensor;
    if (d.config.sensor === 'magnetometer') device.calibration = d.config.calibration;
  }
  if (d.kind === 'bin') device.calibration = d.config.temperature;
  return device;
}

/**
 * Devices on `transport: firmata` run on the real johnny-five backend, over a mock Firmata board
 * per port (an Arduino the demo does not need): the street drives their sensors on the MockHal
 * like everyone else's, and a follower copies a lamp's PIR onto its board's input pin. Other
 * kinds on Firmata would need analog and echo followers: not on the simulated street yet.
 */
export function buildRig(o: RigOptions): Rig {
  const simulated = o.site.devices.filter((d) => d.transport.type === 'mock' || d.transport.type === 'firmata');
  const clock = new VirtualClock({ startWall: o.startWall, synced: true });
  const hal = new MockHal(clock);
  const positions = positionsAlongStreet(simulated);
  const first = simulated[0]?.location;
  const street = new SimulatedStreet({
    clock, hal, seed: o.seed, intensity: o.intensity ?? 1, utcOffsetMin: o.utcOffsetMin ?? 120,
    ...(first ? { latitude: first.latitude, longitude: first.longitude } : {}),
    devices: simulated.map((d) => streetDevice(d, positions.get(d.id)!)),
  });
  const firmataBoards = new Map<string, MockFirmataBoard>();
  const boardOn = (port: string): MockFirmataBoard => {
    let board = firmataBoards.get(port);
    if (board === undefined) {
      board = new MockFirmataBoard({ clock, bootMs: 1800 }); // an Uno resets when its port opens
      firmataBoards.set(port, board);
    }
    return board;
  };
  const backends = new SiteBackends({
    clock, log: o.log, mock: (d) => deviceBoard(hal, d.id), firmata: { openIo: (port) => boardOn(port).open(port) },
  });
  for (const d of o.site.devices) {
    const pir = d.pins.pir;
    if (d.transport.type === 'firmata' && d.kind === 'lamp' && pir !== undefined) followPin(hal, boardPin(d.id, pir), boardOn(d.transport.port), pir);
  }
  const gateway = new Gateway({
    site: o.site.site, gateway: o.site.gateway, devices: o.site.devices, clock, sink: o.sink, epoch: o.epoch, log: o.log,
    topics: topicsFor(o.site.site, o.site.gateway),
    // The Pi's own GPIO is real even here: a gpio device on a laptop is reported as not running
    // (GPIO is not accessible), never silently left out.
    halFor: (d) => backends.halFor(d),
    backends: [backends],
    batchIntervalMs: o.batchIntervalMs ?? o.site.batch.intervalMs, compression: o.site.batch.compression,
    ...(o.drops ? { drops: o.drops } : {}), ...(o.onDropsReported ? { onDropsReported: o.onDropsReported } : {}),
  });
  return { clock, hal, street, gateway, positions, firmataBoards };
}
