/**
 * Bundles one node's firmware into a single script Espruino runs as it is: the Espruino target's
 * entry, the one controller the device needs (tree-shaking leaves the other kinds out), and the
 * device's build (identity, pins, config) inlined as a literal. esbuild emits ES2015 (classes,
 * arrows and template literals stay native and small) and minifies; property names are kept,
 * since the build literal, CBOR keys and Espruino's API are all looked up by name.
 */
import path from 'node:path';
import { build, buildSync, type BuildOptions, type BuildResult } from 'esbuild';
import type { DeviceKind } from '../../firmware/devices/types.js';
import type { EspruinoBuild } from '../../firmware/targets/espruino/espruino-build.js';

const CONTROLLERS: { [K in DeviceKind]: { file: string; name: string } } = {
  lamp: { file: 'firmware/devices/lamp.ts', name: 'LampController' },
  parking: { file: 'firmware/devices/parking.ts', name: 'ParkingController' },
  bin: { file: 'firmware/devices/bin.ts', name: 'BinController' },
};

export const ENTRY = 'firmware/targets/espruino/main.ts';

/** The generated entry: boot(<build literal>, ctx => new <Controller>(ctx)). */
export function entrySource(target: EspruinoBuild): string {
  const c = CONTROLLERS[target.kind];
  return [
    `import { boot } from './${ENTRY}';`,
    `import { ${c.name} } from './${c.file}';`,
    `boot(${JSON.stringify(target)}, function (ctx) { return new ${c.name}(ctx); });`,
  ].join('\n');
}

export interface Bundle {
  code: string;
  /** The source files that went in, relative to the root. */
  inputs: string[];
  /** Minified bytes each source file (the generated entry as ENTRY_LABEL) adds, largest first. */
  modules: ModuleSize[];
}

export interface ModuleSize {
  file: string;
  bytes: number;
}

/** The generated entry's name in esbuild's metafile: it carries the inlined build literal. */
const ENTRY_NAME = 'kerb-entry.ts';
export const ENTRY_LABEL = 'entry and build literal';

function options(root: string, target: EspruinoBuild, minify: boolean): BuildOptions & { write: false; metafile: true } {
  return {
    stdin: { contents: entrySource(target), resolveDir: root, sourcefile: ENTRY_NAME, loader: 'ts' },
    bundle: true,
    format: 'cjs',
    // Espruino's built-in modules, resolved by the interpreter's own require().
    external: ['Storage'],
    write: false,
    // CommonJS output for Node leaves require('Storage') a plain call to Espruino's require; the
    // other formats wrap it in a shim that needs Proxy, which Espruino lacks.
    platform: 'node',
    target: 'es2015',
    minify,
    legalComments: 'none',
    charset: 'ascii',
    metafile: true,
    logLevel: 'silent',
    // Class fields become plain assignments in the constructor, not Object.defineProperty calls.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  };
}

function toBundle(root: string, result: BuildResult<{ write: false; metafile: true }>): Bundle {
  // One function scope around everything: the minifier's short top-level names must not become
  // globals on the node, where they could shadow Espruino's own (a pin named 'D2', say).
  const code = `(function(){${result.outputFiles[0]!.text.trim()}})();\n`;
  const relative = (f: string): string => path.relative(root, path.resolve(root, f)).split(path.sep).join('/');
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== ENTRY_NAME).map(relative);
  const output = Object.values(result.metafile.outputs)[0]!;
  const modules = Object.entries(output.inputs)
    .map(([f, v]) => ({ file: f === ENTRY_NAME ? ENTRY_LABEL : relative(f), bytes: v.bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || (a.file < b.file ? -1 : 1));
  return { code, inputs, modules };
}

export async function bundleFirmware(root: string, target: EspruinoBuild, minify = true): Promise<Bundle> {
  return toBundle(root, await build(options(root, target, minify)));
}

/** The same, synchronously: for test rigs that build a node inside a constructor. */
export function bundleFirmwareSync(root: string, target: EspruinoBuild, minify = true): Bundle {
  return toBundle(root, buildSync(options(root, target, minify)));
}
