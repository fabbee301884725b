/**
 * Type-checks firmware/ against Kerb's Espruino declarations (firmware/tsconfig.json has
 * `"lib": []` plus firmware/targets/espruino/types/), so a built-in Espruino lacks — Map,
 * Array.from, Math.trunc… — is an error at its .ts line before anything is flashed.
 */
import { DiagnosticCategory, type Diagnostic } from 'typescript/unstable/sync';
import { PACKAGE_ROOT } from '../paths.js';
import { FIRMWARE_TSCONFIG, displayPath, lineCol, withProject, type OpenProject } from './ts-project.js';

export interface FirmwareTypeError {
  /** Relative to the root (`firmware/devices/lamp.ts`); undefined for a project-wide error. */
  file: string | undefined;
  /** 1-based; 0 when there is no file. */
  line: number;
  col: number;
  /** TypeScript's error number, e.g. 2304 for "Cannot find name". */
  code: number;
  message: string;
}

export interface TypeCheckOptions {
  /** The tsconfig.json to check; defaults to firmware/tsconfig.json. */
  project?: string;
  /** Paths in the result are relative to this; defaults to the package root. */
  root?: string;
}

export function typeCheckFirmware(options: TypeCheckOptions = {}): FirmwareTypeError[] {
  const root = options.root ?? PACKAGE_ROOT;
  return withProject(options.project ?? FIRMWARE_TSCONFIG, (project) => {
    const { program } = project;
    const all = [
      ...program.getConfigFileParsingDiagnostics(),
      ...program.getProgramDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSyntacticDiagnostics(),
      ...program.getSemanticDiagnostics(),
    ];
    const seen = new Set<string>();
    const errors: FirmwareTypeError[] = [];
    for (const d of all) {
      if (d.category !== DiagnosticCategory.Error) continue;
      const error = toTypeError(d, project, root);
      const key = `${error.file}:${error.line}:${error.col}:${error.code}:${error.message}`;
      if (seen.has(key)) continue; // the same error can come from more than one of the lists
      seen.add(key);
      errors.push(error);
    }
    return errors.sort(byPosition);
  });
}

/** `firmware/x.ts:12:5: Cannot find name 'Map'. (TS2304)` */
export function formatTypeError(e: FirmwareTypeError): string {
  const where = e.file === undefined ? 'tsconfig' : `${e.file}:${e.line}:${e.col}`;
  return `${where}: ${e.message} (TS${e.code})`;
}

function toTypeError(d: Diagnostic, project: OpenProject, root: string): FirmwareTypeError {
  // TypeScript suggests switching `lib` for a missing ES2015+ built-in; ours is fixed on purpose.
  const message = flatten(d).replace(/ Do you need to change your target library\?.*$/, '');
  if (d.fileName === undefined) return { file: undefined, line: 0, col: 0, code: d.code, message };
  const file = project.program.getSourceFile(d.fileName);
  const { line, col } = file === undefined ? { line: 0, col: 0 } : lineCol(file, d.pos);
  return { file: displayPath(d.fileName, root), line, col, code: d.code, message };
}

/** TypeScript nests the detail ("Type 'x' is not assignable…") in a chain; keep it on one line. */
function flatten(d: Diagnostic): string {
  const parts = [d.text];
  for (const next of d.messageChain ?? []) parts.push(flatten(next));
  return parts.join(' ');
}

function byPosition(a: FirmwareTypeError, b: FirmwareTypeError): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || a.col - b.col;
}
