/**
 * Loads a site file: the devices one gateway hosts, each resolved against its profile with its
 * overrides applied. Every error in the site file, and in the profiles it uses, comes back at once.
 */
import { isMap } from './check-device.js';
import { sortErrors, type ConfigError, type LoadResult } from './config-error.js';
import { issue, placeIssue } from './issue.js';
import { locate } from './locate.js';
import { readProfileDirectory } from './load-profiles.js';
import { schemaIssues } from './schema-issues.js';
import { validateSite } from './schemas.js';
import { resolveDevice } from './site-device.js';
import { readCorridors, readOperators } from './site-operators.js';
import { readSource, type SourceFile } from './source-file.js';
import { DEFAULT_BATCH_POLICY, type BatchPolicy, type Location, type Site, type SiteDevice } from './types.js';

export interface LoadSiteOptions {
  /** Directory whose *.yaml / *.json files are the profiles devices may name. */
  profilesDir: string;
}

export function loadSite(file: string, options: LoadSiteOptions): LoadResult<Site> {
  const read = readSource(file);
  if (!read.ok) return read;
  const source = read.value;
  const data: unknown = structuredClone(source.data);
  validateSite(data);
  const errors = schemaIssues(validateSite.errors, data).map((i) => placeIssue(source, i));
  if (!isMap(data)) return { ok: false, errors: sortErrors(errors) };

  const dir = readProfileDirectory(options.profilesDir);
  errors.push(...dir.dirErrors);
  const rawDevices = Array.isArray(data.devices) ? (data.devices as unknown[]) : [];
  errors.push(...duplicateIds(source, rawDevices));
  const siteLocation = isMap(data.location) ? (data.location as unknown as Location) : null;
  const devices: SiteDevice[] = [];
  const used = new Set<string>();
  rawDevices.forEach((raw, index) => {
    const resolved = resolveDevice(source, index, raw, siteLocation, dir);
    errors.push(...resolved.errors);
    if (resolved.profileName !== null) used.add(resolved.profileName);
    if (resolved.device) devices.push(resolved.device);
  });
  for (const name of used) errors.push(...(dir.errorsByName[name] ?? []));
  const operators = readOperators(source, data.operators);
  const listed = new Set(rawDevices.map((d) => (isMap(d) && typeof d.id === 'string' ? d.id : '')));
  const corridors = readCorridors(source, data.corridors, listed, devices);
  errors.push(...operators.errors, ...corridors.errors);

  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return {
    ok: true,
    value: {
      version: 1, site: data.site as string, gateway: data.gateway as string, file, batch: batchPolicy(data.batch), devices,
      operators: operators.value, corridors: corridors.value,
    },
  };
}

/** The schema has checked the section; what it leaves out takes the default. */
function batchPolicy(raw: unknown): BatchPolicy {
  const b = isMap(raw) ? raw : {};
  return {
    intervalMs: typeof b.intervalS === 'number' ? b.intervalS * 1000 : DEFAULT_BATCH_POLICY.intervalMs,
    compression: b.compression === 'deflate' ? 'deflate' : DEFAULT_BATCH_POLICY.compression,
  };
}

/** Every repeat of an id is an error pointing at the repeat and naming the first. */
function duplicateIds(source: SourceFile, devices: unknown[]): ConfigError[] {
  const first = new Map<string, number>();
  const errors: ConfigError[] = [];
  devices.forEach((raw, index) => {
    if (!isMap(raw) || typeof raw.id !== 'string') return;
    const earlier = first.get(raw.id);
    if (earlier === undefined) {
      first.set(raw.id, index);
      return;
    }
    const line = locate(source, ['devices', earlier, 'id']).line;
    errors.push(placeIssue(source, issue('E_CFG_DUPLICATE_ID', ['devices', index, 'id'],
      "duplicate device id '" + raw.id + "': devices[" + earlier + '] (line ' + line + ') already has it')));
  });
  return errors;
}
