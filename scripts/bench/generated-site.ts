/**
 * Sites of any size for the real-time benches, and the gateway that hosts one on mock pins on
 * the real clock.
 *
 * generateSite writes a site file (lamp-0001.., park-0001.., bin-0001.., every device on mock
 * pins, each kind in its own row along a straight street from `origin` on a bearing of 160°,
 * spaced as on the demo street) and loads it with the same loader as any site file, so overrides
 * are validated. mockPinGateway hosts a site's controllers on a MockHal driven by the
 * SystemClock: debounce, hold timers, windows and batches all run on real timers, and nothing
 * simulates the street (the caller drives the pins it cares about; quietStreet gives every
 * sensor a steady, plausible reading so no device reports a fault).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { speedOfSoundCmPerUs } from '../../firmware/devices/ultrasonic.js';
import type { PwmOut } from '../../firmware/hal/pins.js';
import { formatErrors, loadSite, type Site } from '../../device-profiles/index.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { Gateway, type BatchSink } from '../../gateway/gateway.js';
import { SiteBackends } from '../../gateway/hal/backends.js';
import type { Logger } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { boardPin, deviceBoard } from '../../hil-tests/harness/device-board.js';
import { MockHal } from '../../hil-tests/harness/mock-hal.js';
import type { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { PROFILES_DIR } from '../paths.js';

type Kind = 'lamp' | 'parking' | 'bin';

/** A device's `overrides` block in a site file: partial config and reporting. */
export interface DeviceOverrides {
  config?: Record<string, unknown>;
  reporting?: { windowS?: number };
}

export interface SiteSpec {
  lamps: number;
  parking: number;
  bins: number;
  site?: string;
  gateway?: string;
  /** Where the street starts; default the demo street's first lamp (Amsterdam). */
  origin?: { latitude: number; longitude: number };
  /** Overrides given to every device of a kind. */
  overrides?: Partial<Record<Kind, DeviceOverrides>>;
  /** The site's batch interval, s; default the loader's (60 s). */
  batchIntervalS?: number;
}

const ROWS: Record<Kind, { prefix: string; profile: string; spacingM: number }> = {
  lamp: { prefix: 'lamp', profile: 'lamp-pir-pwm', spacingM: 30 },
  parking: { prefix: 'park', profile: 'parking-magnetometer', spacingM: 6 },
  bin: { prefix: 'bin', profile: 'bin-ultrasonic', spacingM: 60 },
};
const DEMO_ORIGIN = { latitude: 52.367575, longitude: 4.903989 };
const BEARING_RAD = (160 * Math.PI) / 180;

/**
 * A point on `latitude` where it is solar midnight at wall time `wall`: a street placed there is
 * hours from dusk and dawn, whatever the date, so lamps on a sun schedule are in their night.
 */
export function midnightMeridian(wall: number, latitude: number): { latitude: number; longitude: number } {
  const utcHours = (wall % 86_400_000) / 3_600_000;
  let longitude = (-15 * utcHours) % 360;
  if (longitude < -180) longitude += 360;
  return { latitude, longitude: longitude === 0 ? 0 : longitude };
}

/** The site file text for `spec`. */
export function generatedSiteYaml(spec: SiteSpec): string {
  const origin = spec.origin ?? DEMO_ORIGIN;
  const kx = 111_320 * Math.cos((origin.latitude * Math.PI) / 180);
  const counts: Record<Kind, number> = { lamp: spec.lamps, parking: spec.parking, bin: spec.bins };
  const width = Math.max(4, String(Math.max(spec.lamps, spec.parking, spec.bins)).length);
  const devices: unknown[] = [];
  for (const kind of ['lamp', 'parking', 'bin'] as const) {
    const row = ROWS[kind];
    for (let i = 0; i < counts[kind]; i++) {
      const m = i * row.spacingM;
      const longitude = origin.longitude + (m * Math.sin(BEARING_RAD)) / kx;
      devices.push({
        id: `${row.prefix}-${String(i + 1).padStart(width, '0')}`,
        profile: row.profile,
        transport: { type: 'mock' },
        location: { latitude: +(origin.latitude + (m * Math.cos(BEARING_RAD)) / 110_540).toFixed(6), longitude: +(((longitude + 540) % 360) - 180).toFixed(6) },
        ...(spec.overrides?.[kind] ? { overrides: spec.overrides[kind] } : {}),
      });
    }
  }
  return YAML.stringify({
    version: 1, site: spec.site ?? 'bench-street', gateway: spec.gateway ?? 'gw-bench-01',
    ...(spec.batchIntervalS ? { batch: { intervalS: spec.batchIntervalS } } : {}),
    location: { latitude: origin.latitude, longitude: origin.longitude },
    devices,
  }, { aliasDuplicateObjects: false }); // one overrides object for many devices: written out in full each time
}

/** Writes the site file into `dir` (`<site>.yaml`) and loads it; throws with every error if it does not load. */
export function generateSite(spec: SiteSpec, dir: string): Site {
  const file = path.join(dir, `${spec.site ?? 'bench-street'}.yaml`);
  fs.writeFileSync(file, generatedSiteYaml(spec));
  return loadGeneratedSite(file);
}

export function loadGeneratedSite(file: string): Site {
  const loaded = loadSite(file, { profilesDir: PROFILES_DIR });
  if (!loaded.ok) throw new Error(`the generated site ${file} does not load:\n${formatErrors(loaded.errors)}`);
  return loaded.value;
}

export interface MockPinGatewayOptions {
  site: Site;
  sink: BatchSink;
  epoch: number;
  log: Logger;
  clock?: SystemClock;
  /** Called right after every PWM write of a hosted controller (`duty` as written). */
  onPwmWrite?: (device: string, duty: number) => void;
}

export interface MockPinGateway {
  gateway: Gateway;
  /** Drive inputs with setLevel(boardPin(id, pin), level); read outputs with pwmWrites. */
  hal: MockHal;
  clock: SystemClock;
}

/** The site's mock devices hosted by the real Gateway on the system clock. Not started. */
export function mockPinGateway(o: MockPinGatewayOptions): MockPinGateway {
  const clock = o.clock ?? new SystemClock();
  // MockHal is typed for the harness's VirtualClock, but it and its resources only use the Clock
  // interface: on the SystemClock its debounce timers and PWM write times are real.
  const hal = new MockHal(clock as unknown as VirtualClock);
  const onWrite = o.onPwmWrite;
  const backends = new SiteBackends({
    clock, log: o.log,
    mock: (d) => {
      const board = deviceBoard(hal, d.id);
      if (onWrite === undefined) return board;
      return {
        ...board,
        pwm: (options): PwmOut => {
          const out = board.pwm(options);
          return {
            write: (duty) => {
              out.write(duty);
              onWrite(d.id, duty);
            },
            read: () => out.read(),
            close: () => out.close(),
          };
        },
      };
    },
  });
  const gateway = new Gateway({
    site: o.site.site, gateway: o.site.gateway, devices: o.site.devices, clock, sink: o.sink, epoch: o.epoch, log: o.log,
    topics: topicsFor(o.site.site, o.site.gateway), halFor: (d) => backends.halFor(d), backends: [backends],
    batchIntervalMs: o.site.batch.intervalMs,
  });
  return { gateway, hal, clock };
}

/** Air temperature, parking field and bin distance that quietStreet holds steady. */
const QUIET = { airC: 15, fieldUt: 0, binCm: 60 };

/**
 * Steady readings on every sensor pin of the site's parking spaces and bins: a free space, a
 * half-full bin at 15 °C. Without them a bin hears no echo and raises a sensor fault at once.
 */
export function quietStreet(hal: MockHal, site: Site): void {
  for (const d of site.devices) {
    if (d.kind === 'bin') {
      const t = d.config.temperature;
      hal.setAnalog(boardPin(d.id, d.pins.temp!), (QUIET.airC - t.offset) / t.gain);
      const widthUs = (2 * QUIET.binCm) / speedOfSoundCmPerUs(QUIET.airC);
      hal.setEcho(boardPin(d.id, d.pins.echo!), () => widthUs);
    } else if (d.kind === 'parking' && d.config.sensor === 'magnetometer') {
      const c = d.config.calibration;
      hal.setAnalog(boardPin(d.id, d.pins.field!), (QUIET.fieldUt - c.offset) / c.gain);
    } else if (d.kind === 'parking') {
      const widthUs = (2 * 150) / speedOfSoundCmPerUs(QUIET.airC); // nothing above the sensor for 1.5 m
      hal.setEcho(boardPin(d.id, d.pins.echo!), () => widthUs);
    }
  }
}
