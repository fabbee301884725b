/**
 * Loads one profile file: `device-profiles/<name>.yaml` (or .json) is profile `<name>`.
 * Validation runs in two steps so errors stay readable: the header, then the kind's config,
 * its cross-field rules and its pin roles. Every error is returned, positioned in the file.
 */
import { basename, extname } from 'node:path';
import { checkDevice, isMap } from './check-device.js';
import { sortErrors, type ConfigError, type LoadResult } from './config-error.js';
import { placeIssue } from './issue.js';
import { normalisePins } from './pin-roles.js';
import { isDeviceKind, validateProfileHeader } from './schemas.js';
import { schemaIssues } from './schema-issues.js';
import { readSource, type SourceFile } from './source-file.js';
import type { Profile } from './types.js';

/** Profile names are used in site files and topics: lowercase letters, digits and '-'. */
export const PROFILE_NAME = /^[a-z0-9-]+$/;

/** 'device-profiles/lamp-pir-pwm.yaml' -> 'lamp-pir-pwm'. */
export function profileNameOf(file: string): string {
  return basename(file, extname(file));
}

export function loadProfile(file: string): LoadResult<Profile> {
  const source = readSource(file);
  if (!source.ok) return source;
  const name = profileNameOf(file);
  const result = validateProfile(name, source.value);
  if (PROFILE_NAME.test(name)) return result;
  const nameError: ConfigError = {
    code: 'E_CFG_PROFILE_NAME', file, line: 0, column: 0, path: '',
    message: "file name '" + name + "' cannot be a profile name: use only lowercase letters, digits and '-'",
  };
  return { ok: false, errors: [nameError].concat(result.ok ? [] : result.errors) };
}

/** Validates parsed profile data; the data in `source` is left as it was (defaults go into a copy). */
export function validateProfile(name: string, source: SourceFile): LoadResult<Profile> {
  const data: unknown = structuredClone(source.data);
  validateProfileHeader(data);
  const issues = schemaIssues(validateProfileHeader.errors, data);
  const pins = isMap(data) && isMap(data.pins) ? normalisePins(data.pins) : null;
  if (isMap(data) && isDeviceKind(data.kind)) {
    issues.push(...checkDevice(data.kind, { config: data.config, pins }));
  }
  if (issues.length > 0 || !isMap(data) || pins === null) {
    return { ok: false, errors: sortErrors(issues.map((i) => placeIssue(source, i))) };
  }
  const profile = {
    name,
    file: source.file,
    kind: data.kind,
    model: data.model,
    version: 1,
    description: data.description,
    pins,
    config: data.config,
    reporting: data.reporting,
  } as Profile;
  return { ok: true, value: profile };
}
