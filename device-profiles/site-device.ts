/**
 * Resolves one device of a site file: finds its profile, deep-merges its overrides into the
 * profile's config and reporting, applies its pin overrides, and checks the result again.
 * Errors in the merged result are traced back to the override (or pin) that caused them.
 */
import { checkDevice, isMap } from './check-device.js';
import type { ConfigError } from './config-error.js';
import { issue, placeIssue } from './issue.js';
import type { DataPath } from './locate.js';
import type { ProfileDirectory } from './load-profiles.js';
import { normalisePins } from './pin-roles.js';
import type { SourceFile } from './source-file.js';
import { closest } from './suggest.js';
import type { Location, SiteDevice, Transport } from './types.js';

export interface ResolvedDevice {
  /** null when the device has errors (or its profile has). */
  device: SiteDevice | null;
  /** The profile it names, if that profile exists in the directory (loaded or broken). */
  profileName: string | null;
  errors: ConfigError[];
}

export function resolveDevice(source: SourceFile, index: number, raw: unknown, siteLocation: Location | null,
  dir: ProfileDirectory): ResolvedDevice {
  const none: ResolvedDevice = { device: null, profileName: null, errors: [] };
  if (!isMap(raw) || typeof raw.profile !== 'string' || dir.dirErrors.length > 0) return none;
  const here: DataPath = ['devices', index];
  const name = raw.profile;
  if (dir.names.indexOf(name) < 0) {
    return { ...none, errors: [placeIssue(source, issue('E_CFG_PROFILE_UNKNOWN', here.concat('profile'), unknownProfile(name, dir)))] };
  }
  const profile = dir.profiles[name];
  if (!profile) return { ...none, profileName: name };

  const overrides = isMap(raw.overrides) ? raw.overrides : {};
  const config = deepMerge(profile.config, overrides.config);
  const reporting = deepMerge(profile.reporting, overrides.reporting);
  const pins = { ...profile.pins, ...normalisePins(raw.pins) };
  const toSite = (path: DataPath): DataPath =>
    path[0] === 'pins' ? here.concat(path) : here.concat('overrides', ...path);
  const errors = checkDevice(profile.kind, { config, pins, reporting }).map((i) => placeIssue(source, i, toSite));

  const location = isMap(raw.location) ? (raw.location as unknown as Location) : siteLocation;
  if (location === null) {
    errors.push(placeIssue(source, issue('E_CFG_LOCATION', here.concat('location'),
      'is required: give the device a location, or the site a default location')));
  }
  if (errors.length > 0 || location === null) return { device: null, profileName: name, errors };
  const device = {
    id: raw.id as string,
    kind: profile.kind,
    profileName: name,
    profile,
    transport: raw.transport as Transport,
    location: { latitude: location.latitude, longitude: location.longitude },
    pins,
    config,
    reporting,
  } as SiteDevice;
  return { device, profileName: name, errors };
}

function unknownProfile(name: string, dir: ProfileDirectory): string {
  const guess = closest(name, dir.names);
  const known = dir.names.length > 0 ? 'profiles in ' + dir.dir + ': ' + dir.names.join(', ') : dir.dir + ' holds no profiles';
  return "unknown profile '" + name + "'" + (guess ? "; did you mean '" + guess + "'?" : '') + ' (' + known + ')';
}

/**
 * Maps merge key by key; anything else in the override replaces the base value. The base is
 * never modified; the result shares nothing with either input.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return structuredClone(base);
  if (!isMap(base) || !isMap(override)) return structuredClone(override);
  const merged: { [key: string]: unknown } = structuredClone(base);
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}
