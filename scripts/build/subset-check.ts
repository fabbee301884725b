/**
 * The subset check on the TypeScript AST: every construct Espruino cannot run
 * (/work/shared/ESPRUINO.md, "does not work"), reported at its .ts line the way DeviceScript's
 * compiler rejects what it cannot run. `kerb build` runs it over the firmware project before
 * bundling; the allowlist parse of the emitted JavaScript is the last guard after it.
 */
import { PACKAGE_ROOT } from '../paths.js';
import { FIRMWARE_TSCONFIG, displayPath, lineCol, withProject } from './ts-project.js';
import { findingsIn } from './subset-walk.js';

export interface SubsetViolation {
  /** Relative to the root, e.g. `firmware/devices/lamp.ts`. */
  file: string;
  /** 1-based, pointing at the construct's first token (or its operator, or `?.`). */
  line: number;
  col: number;
  /** Which construct, e.g. `default-parameter`, `optional-chaining`, `loop-closure`. */
  construct: string;
  /** Why Espruino cannot run it, e.g. "Espruino has no default parameters". */
  rule: string;
}

export interface SubsetCheckOptions {
  /** The tsconfig.json whose program is checked; defaults to firmware/tsconfig.json. */
  project?: string;
  /** Paths in the result are relative to this; defaults to the package root. */
  root?: string;
  /**
   * Which of the program's files to check (absolute paths). Default: the .ts sources, not
   * declaration files and not `*.test.ts` (tests run in Node only).
   */
  include?: (fileName: string) => boolean;
}

export function checkSubset(options: SubsetCheckOptions = {}): SubsetViolation[] {
  const root = options.root ?? PACKAGE_ROOT;
  const include = options.include ?? isFirmwareSource;
  return withProject(options.project ?? FIRMWARE_TSCONFIG, ({ program, checker, sourceFile }) => {
    const violations: SubsetViolation[] = [];
    for (const fileName of [...program.getSourceFileNames()].sort()) {
      if (!include(fileName)) continue;
      const file = sourceFile(fileName);
      for (const f of findingsIn(file, checker)) {
        violations.push({ file: displayPath(fileName, root), ...lineCol(file, f.pos), construct: f.construct, rule: f.rule });
      }
    }
    return violations;
  });
}

/** `firmware/x.ts:12:5: default-parameter — Espruino has no default parameters` */
export function formatViolation(v: SubsetViolation): string {
  return `${v.file}:${v.line}:${v.col}: ${v.construct} — ${v.rule}`;
}

function isFirmwareSource(fileName: string): boolean {
  return fileName.endsWith('.ts') && !fileName.endsWith('.d.ts') && !fileName.endsWith('.test.ts');
}
