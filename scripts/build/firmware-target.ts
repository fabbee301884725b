/**
 * What goes into one node's bundle: a profile (or a site device, with its overrides) turned into
 * the EspruinoBuild literal the bundle boots with. Everything is checked here, on the laptop, so
 * a node never starts with an id that does not fit its hello.
 */
import path from 'node:path';
import { formatErrors, loadProfile, loadSite, profileHash } from '../../device-profiles/index.js';
import type { DeviceKind } from '../../firmware/devices/types.js';
import type { EspruinoBuild } from '../../firmware/targets/espruino/espruino-build.js';
import { CliError, EXIT } from '../cli-error.js';

export interface TargetRequest {
  /** A profile name from `profilesDir`, or a path to a profile file. */
  profile?: string;
  /** A site file and one of its devices: the device's own pins, config and id. */
  site?: string;
  device?: string;
  /** The node's device id; default: the site device's id, else 'unprovisioned'. */
  deviceId?: string;
  profilesDir: string;
  fw: string;
  baud?: number;
  watchdogS?: number;
}

export const UNPROVISIONED = 'unprovisioned';
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export interface ResolvedTarget {
  /** A name for the bundle: the profile, or the site device. */
  name: string;
  build: EspruinoBuild;
}

function target(name: string, id: string, kind: DeviceKind, pins: Record<string, string>, config: unknown, r: TargetRequest, siteBaud?: number): ResolvedTarget {
  if (!ID.test(id)) throw new CliError(`device id '${id}' must be 1..32 letters, digits, '.', '_' or '-', starting with a letter or digit`, EXIT.usage);
  return {
    name,
    build: {
      id, kind, fw: r.fw, profile: profileHash({ kind, pins, config }), pins, config,
      // The node must talk at the speed the gateway opens its port with.
      port: 'Serial1', baud: r.baud ?? siteBaud ?? 115200, safeAfter: 5, stableMs: 60_000, watchdogS: r.watchdogS ?? 10,
    },
  };
}

export function resolveTarget(r: TargetRequest): ResolvedTarget {
  if (r.site !== undefined) {
    if (r.device === undefined) throw new CliError('--site needs --device: which of its devices is this node?', EXIT.usage);
    const site = loadSite(r.site, { profilesDir: r.profilesDir });
    if (!site.ok) throw new CliError(`${r.site} is not a valid site file:\n${formatErrors(site.errors)}`, EXIT.invalid);
    const d = site.value.devices.find((x) => x.id === r.device);
    if (d === undefined) {
      throw new CliError(`no device '${r.device}' in ${r.site}; it has ${site.value.devices.slice(0, 8).map((x) => x.id).join(', ')}${site.value.devices.length > 8 ? ', ...' : ''}`, EXIT.usage);
    }
    const siteBaud = d.transport.type === 'serial' ? d.transport.baud : undefined;
    if (r.baud !== undefined && siteBaud !== undefined && r.baud !== siteBaud) {
      throw new CliError(`--baud ${r.baud} differs from ${r.device}'s transport baud ${siteBaud} in ${r.site}: the gateway could not hear the node`, EXIT.usage);
    }
    return target(d.id, r.deviceId ?? d.id, d.kind, d.pins, d.config, r, siteBaud);
  }
  if (r.profile === undefined) throw new CliError('say which firmware to build: --profile NAME, or --site FILE --device ID', EXIT.usage);
  const file = /\.(ya?ml|json)$/.test(r.profile) ? path.resolve(r.profile) : path.join(r.profilesDir, `${r.profile}.yaml`);
  const loaded = loadProfile(file);
  if (!loaded.ok) throw new CliError(`profile '${r.profile}' cannot be used:\n${formatErrors(loaded.errors)}`, EXIT.invalid);
  const p = loaded.value;
  return target(p.name, r.deviceId ?? UNPROVISIONED, p.kind, p.pins, p.config, r);
}
