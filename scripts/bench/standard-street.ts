/**
 * The standard workload (issue 6): 200 lamps, 300 parking spaces and 100 bins over one simulated
 * day, seeded, through the real gateway. It is the demo street laid end to end ten times (each
 * copy 600 m further along the same bearing, ids numbered through), so it has the demo's mix:
 * junction lamps, lamps under trees on a light sensor, bays of parking, a snack-bar bin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadSite, type Site } from '../../device-profiles/index.js';
import { DEMO_SITE, PROFILES_DIR } from '../paths.js';
import { runWorkload, type Workload } from './workload.js';

export const STANDARD_COPIES = 10;
/** The demo street's length: a copy starts where the one before it ends. */
const COPY_M = 600;
const BEARING_DEG = 160;

interface YamlDevice { id: string; location?: { latitude: number; longitude: number }; transport?: unknown; [k: string]: unknown }

/** The site file text of `copies` demo streets end to end, every device on mock pins. */
export function standardStreetYaml(copies = STANDARD_COPIES): string {
  const demo = YAML.parse(fs.readFileSync(DEMO_SITE, 'utf8')) as { devices: YamlDevice[]; location: { latitude: number } } & Record<string, unknown>;
  const rad = (BEARING_DEG * Math.PI) / 180;
  const dLat = (COPY_M * Math.cos(rad)) / 110_540;
  const dLon = (COPY_M * Math.sin(rad)) / (111_320 * Math.cos((demo.location.latitude * Math.PI) / 180));
  const counters = new Map<string, number>();
  const width = String(copies * Math.max(...['lamp', 'park', 'bin'].map((p) => demo.devices.filter((d) => d.id.startsWith(p)).length))).length;
  const devices: YamlDevice[] = [];
  for (let c = 0; c < copies; c++) {
    for (const d of demo.devices) {
      const prefix = d.id.replace(/-?\d+$/, '');
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      const copy: YamlDevice = { ...d, id: `${prefix}-${String(n).padStart(width, '0')}`, transport: { type: 'mock' } };
      if (d.location) copy.location = { latitude: +(d.location.latitude + c * dLat).toFixed(6), longitude: +(d.location.longitude + c * dLon).toFixed(6) };
      devices.push(copy);
    }
  }
  return YAML.stringify({ ...demo, site: 'standard-street', gateway: 'gw-standard-01', devices });
}

/** The standard street, validated by the same loader as any site file. */
export function standardStreetSite(copies = STANDARD_COPIES): Site {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerb-standard-'));
  try {
    const file = path.join(dir, 'standard-street.yaml');
    fs.writeFileSync(file, standardStreetYaml(copies));
    const loaded = loadSite(file, { profilesDir: PROFILES_DIR });
    if (!loaded.ok) throw new Error(`the standard street does not load: ${loaded.errors.map((e) => e.message).join('; ')}`);
    return loaded.value;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface StandardOptions {
  hours?: number;
  seed?: number;
  /** Copies of the demo street (10: the standard 600 devices). */
  copies?: number;
}

/** One simulated day of the standard street (or `hours` of it), every batch and raw reading. */
export function standardWorkload(options: StandardOptions = {}): Workload {
  return runWorkload(standardStreetSite(options.copies), options.hours ?? 24, options.seed ?? 2026);
}
