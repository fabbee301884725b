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
import { bundleFirmware } from './bundle.js';

/** Minified bytes a bundle may take (the budget: what fits a small board's Storage and RAM). */
export const BUDGET_BYTES = 12 * 1024;

export interface FirmwareBundle {
  build: EspruinoBuild;
  code: string;
  bytes: number;
  /** Source files that went in, relative to the root. */
  inputs: string[];
  /** The emitted JavaScript's violations of the allowlist (empty for a good build). */
  violations: BundleViolation[];
}

export async function bundleChecked(root: string, build: EspruinoBuild): Promise<FirmwareBundle> {
  const bundle = await bundleFirmware(root, build);
  return { build, code: bundle.code, bytes: Buffer.byteLength(bundle.code), inputs: bundle.inputs, violations: checkBundle(bundle.code) };
}

export function formatBundleViolation(file: string, v: BundleViolation): string {
  return `${file}:${v.line}:${v.column}: ${v.construct} — ${v.rule}`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
