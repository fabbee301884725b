/**
 * Rules between config fields that JSON Schema cannot express. Each names the field it blames
 * and the field it compares with, so an error can point at whichever of the two was written.
 */
import type { DeviceKind } from '../firmware/devices/types.js';
import { issue, type Issue } from './issue.js';
import type { DataPath } from './locate.js';

type Comparison = '<' | '<=' | '>' | '>=';

interface Rule {
  kind: DeviceKind;
  /** The field blamed, relative to config. */
  field: string;
  op: Comparison;
  /** The field compared with. */
  other: string;
  why: string;
}

export const RULES: readonly Rule[] = [
  { kind: 'lamp', field: 'baseLevel', op: '<=', other: 'fullLevel', why: 'the base level is the dimmed one' },
  { kind: 'lamp', field: 'schedule.lightOffAbove', op: '>', other: 'schedule.lightOnBelow', why: 'the gap is the hysteresis' },
  { kind: 'lamp', field: 'fadeS', op: '<=', other: 'holdS', why: 'the fade is the last part of the hold' },
  {
    kind: 'lamp', field: 'pirSilentS', op: '>', other: 'pirStuckHighS',
    why: 'a stuck-high PIR gives no edges, so it must be caught as stuck before it counts as silent',
  },
  { kind: 'parking', field: 'releaseDelta', op: '<', other: 'detectDelta', why: 'the gap is the hysteresis' },
  { kind: 'bin', field: 'fullCm', op: '<', other: 'emptyCm', why: 'rubbish rises towards the sensor' },
  { kind: 'bin', field: 'maxCm', op: '>', other: 'minCm', why: "the sensor's valid range" },
  { kind: 'bin', field: 'fullCm', op: '>=', other: 'minCm', why: 'a full bin must still be measurable' },
  { kind: 'bin', field: 'emptyCm', op: '<=', other: 'maxCm', why: 'an empty bin must still be measurable' },
  { kind: 'bin', field: 'fullClearPct', op: '<', other: 'fullAlertPct', why: 'the alert re-arms below the alert level' },
  { kind: 'bin', field: 'tempSampleS', op: '<=', other: 'sampleS', why: 'so a fire is caught between fill samples' },
];

/**
 * Issues (paths relative to the profile: ['config', ...]) for every broken rule whose two fields
 * are numbers. `hasIssue` skips rules on fields already reported, so one mistake is one error.
 */
export function checkRules(kind: DeviceKind, config: unknown, hasIssue: (path: DataPath) => boolean): Issue[] {
  const issues: Issue[] = [];
  for (const rule of RULES) {
    if (rule.kind !== kind) continue;
    const fieldPath = ['config' as string | number].concat(rule.field.split('.'));
    const otherPath = ['config' as string | number].concat(rule.other.split('.'));
    const a = numberAt(config, rule.field);
    const b = numberAt(config, rule.other);
    if (a === undefined || b === undefined || hasIssue(fieldPath) || hasIssue(otherPath)) continue;
    if (!holds(a, rule.op, b)) {
      const seenFromOther = issue('E_CFG_RULE', otherPath, message(FLIPPED[rule.op], rule.field, a, b, rule.why), [fieldPath]);
      issues.push({ ...issue('E_CFG_RULE', fieldPath, message(rule.op, rule.other, b, a, rule.why), [otherPath]), alternatives: [seenFromOther] });
    }
  }
  return issues;
}

const FLIPPED: { [op in Comparison]: Comparison } = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function message(op: Comparison, other: string, otherValue: number, got: number, why: string): string {
  return 'must be ' + op + ' ' + other + ', which is ' + otherValue + ' (got ' + got + '; ' + why + ')';
}

function holds(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

function numberAt(config: unknown, dotted: string): number | undefined {
  let node: unknown = config;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as { [k: string]: unknown })[key];
  }
  return typeof node === 'number' && isFinite(node) ? node : undefined;
}
