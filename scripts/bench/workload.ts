/**
 * A benchmark workload: a site simulated for some hours through the real gateway, capturing every
 * batch it publishes and every raw reading its controllers emitted. Seeded, so every run
 * measures the same data. `streetWorkload` is the demo street; scripts/bench/standard-street.ts
 * is the standard workload of issue 6.
 */
import { loadSite, type Site } from '../../device-profiles/index.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { buildRig } from '../../hil-tests/harness/street-rig.js';
import { DEMO_SITE, PROFILES_DIR } from '../paths.js';

export interface RawReading {
  device: string;
  metric: string;
  t: number;
  v: number;
}

export interface Workload {
  site: Site;
  batches: Array<{ topic: string; payload: Buffer }>;
  readings: RawReading[];
  hours: number;
  /** Wall ms the simulation started at. */
  start: number;
}

/** Midsummer 16:00 UTC (18:00 in Amsterdam): evening, a night and a day, whatever the length. */
export const WORKLOAD_START = Date.UTC(2026, 5, 21, 16, 0);

export function runWorkload(site: Site, hours: number, seed: number): Workload {
  const batches: Workload['batches'] = [];
  const readings: RawReading[] = [];
  const start = WORKLOAD_START;
  const rig = buildRig({
    site, seed, startWall: start, epoch: 1, log: memoryLogger().log,
    sink: { send: (topic, payload) => batches.push({ topic, payload }) > 0 },
  });
  rig.gateway.onOutput((device, out) => {
    if (out.type === 'reading') readings.push({ device: device.id, metric: out.metric, t: Math.round(start + out.time), v: out.value });
  });
  rig.street.start();
  rig.gateway.start();
  rig.clock.advance(hours * 3_600_000);
  rig.street.stop();
  rig.gateway.stop();
  return { site, batches, readings, hours, start };
}

export function streetWorkload(hours: number, seed = 7): Workload {
  const loaded = loadSite(DEMO_SITE, { profilesDir: PROFILES_DIR });
  if (!loaded.ok) throw new Error('the demo street does not load; run `kerb validate examples/demo-street.yaml`');
  return runWorkload(loaded.value, hours, seed);
}
