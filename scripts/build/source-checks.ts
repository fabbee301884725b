/**
 * The checks on the firmware source tree, before anything is bundled: the lib-less type-check
 * and the Espruino subset checker. Each problem is one line, `file:line:col: what — why`.
 */
import { checkSubset, formatViolation } from './subset-check.js';
import { formatTypeError, typeCheckFirmware } from './type-check.js';

export interface SourceCheckResult {
  typeErrors: string[];
  subsetViolations: string[];
}

export function checkFirmwareSource(): SourceCheckResult {
  return { typeErrors: typeCheckFirmware().map(formatTypeError), subsetViolations: checkSubset().map(formatViolation) };
}
