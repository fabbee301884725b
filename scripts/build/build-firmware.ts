/**
 * `kerb build` as a library: the whole path from the TypeScript tree to one checked file.
 *   1. type-check firmware/ against Kerb's Espruino declarations ("lib": []): a built-in the
 *      interpreter lacks is a type error
 *   2. the subset checker on the TypeScript AST: constructs Espruino cannot run, with file:line:col
 *   3. bundle and minify (esbuild, ES2015) with the device's build inlined
 *   4. parse the emitted JavaScript once more against the Espruino allowlist (acorn)
 *   5. measure it against the budget
 * Steps 1 and 2 look at the source tree, not at a profile: building five profiles runs them once.
 */
import type { EspruinoBuild } from '../../firmware/targets/espruino/espruino-build.js';
import { checkBundle, type BundleViolation } from './allowlist.js';
import { bundleFirmware, ENTRY_LABEL, type ModuleSize } from './bundle.js';

/** Minified bytes a bundle may take (the budget: what fits a small board's Storage and RAM). */
export const BUDGET_BYTES = 12 * 1024;

export interface FirmwareBundle {
  build: EspruinoBuild;
  code: string;
  bytes: number;
  /** Source files that went in, relative to the root. */
  inputs: string[];
  /** Minified bytes per source file, largest first. */
  modules: ModuleSize[];
  /** The emitted JavaScript's violations of the allowlist (empty for a good build). */
  violations: BundleViolation[];
}

export async function bundleChecked(root: string, build: EspruinoBuild): Promise<FirmwareBundle> {
  const bundle = await bundleFirmware(root, build);
  return { build, code: bundle.code, bytes: Buffer.byteLength(bundle.code), inputs: bundle.inputs, modules: bundle.modules, violations: checkBundle(bundle.code) };
}

export function formatBundleViolation(file: string, v: BundleViolation): string {
  return `${file}:${v.line}:${v.column}: ${v.construct} — ${v.rule}`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** The parts of a node's firmware, for saying where a bundle's bytes go. */
export const AREAS = ['device logic', 'serial link', 'node runtime', 'Espruino target and HAL', ENTRY_LABEL] as const;
export type Area = (typeof AREAS)[number];

export function areaOf(file: string): Area {
  if (file.startsWith('firmware/devices/') || file.startsWith('firmware/filters/')) return 'device logic';
  if (file.startsWith('firmware/link/')) return 'serial link';
  if (file.startsWith('firmware/node/')) return 'node runtime';
  if (file === ENTRY_LABEL) return ENTRY_LABEL;
  return 'Espruino target and HAL';
}

export interface AreaSize {
  area: Area;
  bytes: number;
  modules: ModuleSize[];
}

/** A bundle's modules by area, in AREAS order (areas with nothing in them left out). */
export function sizesByArea(modules: ModuleSize[]): AreaSize[] {
  return AREAS.map((area) => {
    const mine = modules.filter((m) => areaOf(m.file) === area);
    return { area, bytes: mine.reduce((sum, m) => sum + m.bytes, 0), modules: mine };
  }).filter((a) => a.modules.length > 0);
}

/** The `kerb build --sizes` table: each area's total, then its modules, bytes right-aligned. */
export function formatSizes(name: string, bytes: number, modules: ModuleSize[]): string {
  const lines = [`${name}: ${bytes} bytes`];
  for (const a of sizesByArea(modules)) {
    lines.push(`  ${String(a.bytes).padStart(6)}  ${a.area} (${Math.round((100 * a.bytes) / bytes)} %)`);
    for (const m of a.modules) lines.push(`  ${String(m.bytes).padStart(14)}  ${m.file}`);
  }
  return lines.join('\n');
}
