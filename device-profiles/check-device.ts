/**
 * The checks a device's effective settings go through, for a profile on its own and again for a
 * site device after its overrides are merged in: the kind's config schema (filling defaults in
 * place), the reporting block, the rules between fields, and the pin roles.
 */
import type { DeviceKind } from '../firmware/devices/types.js';
import type { Issue } from './issue.js';
import type { DataPath } from './locate.js';
import { checkPins } from './pin-roles.js';
import { checkRules } from './rules.js';
import { validateConfig, validateReporting } from './schemas.js';
import { schemaIssues } from './schema-issues.js';

export interface DeviceParts {
  /** Validated and completed in place. */
  config: unknown;
  /** null when the pins are not a map at all (already reported; role checks would only add noise). */
  pins: { [role: string]: string } | null;
  /** Validated and completed in place when given (the profile header already covers its own). */
  reporting?: unknown;
}

/** Issues with paths relative to a profile: ['config', ...], ['pins', role], ['reporting', ...]. */
export function checkDevice(kind: DeviceKind, parts: DeviceParts): Issue[] {
  const issues: Issue[] = [];
  if (isMap(parts.config)) {
    const validate = validateConfig[kind];
    validate(parts.config);
    issues.push(...prefixed('config', schemaIssues(validate.errors, parts.config)));
  }
  if ('reporting' in parts && isMap(parts.reporting)) {
    validateReporting(parts.reporting);
    issues.push(...prefixed('reporting', schemaIssues(validateReporting.errors, parts.reporting)));
  }
  const reported = issues.map((i) => i.path);
  issues.push(...checkRules(kind, parts.config, (path) => reported.some((p) => startsWith(p, path))));
  if (parts.pins !== null) issues.push(...checkPins(kind, parts.config, parts.pins));
  return issues;
}

export function isMap(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function prefixed(head: string, issues: Issue[]): Issue[] {
  return issues.map((i) => ({ ...i, path: [head as string | number].concat(i.path) }));
}

function startsWith(path: DataPath, prefix: DataPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}
