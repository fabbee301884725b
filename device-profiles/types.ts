/**
 * What the loaders return: profiles and site devices complete, validated, defaults applied.
 * Unions are discriminated by `kind`, so `device.kind === 'lamp'` narrows `device.config`.
 */
import type { BinConfig, LampConfig, ParkingConfig } from '../firmware/devices/config.js';
import type { DeviceKind, Location } from '../firmware/devices/types.js';

export type { ConfigError, ConfigErrorCode, LoadResult } from './config-error.js';
export type { DeviceKind, Location };

export interface Reporting {
  /** Aggregation window, seconds. */
  windowS: number;
}

export type PinMap = { [role: string]: string };

interface ProfileOf<K extends DeviceKind, C> {
  /** The file name without extension. */
  name: string;
  file: string;
  kind: K;
  model: string;
  version: 1;
  description: string;
  pins: PinMap;
  config: C;
  reporting: Reporting;
}

export type LampProfile = ProfileOf<'lamp', LampConfig>;
export type ParkingProfile = ProfileOf<'parking', ParkingConfig>;
export type BinProfile = ProfileOf<'bin', BinConfig>;
export type Profile = LampProfile | ParkingProfile | BinProfile;

export type Transport =
  | { type: 'mock' }
  | { type: 'gpio' }
  | { type: 'firmata'; port: string }
  /** A Kerb node on a serial port; `baud` is 115200 unless the site file says otherwise. */
  | { type: 'serial'; port: string; baud: number };

interface SiteDeviceOf<P extends Profile> {
  id: string;
  kind: P['kind'];
  profileName: string;
  /** The profile as loaded, before this device's overrides. */
  profile: P;
  transport: Transport;
  location: Location;
  /** The profile's pins with the device's pin overrides applied. */
  pins: PinMap;
  /** The profile's config with the device's overrides deep-merged in, validated again. */
  config: P['config'];
  reporting: Reporting;
}

export type SiteDevice = SiteDeviceOf<LampProfile> | SiteDeviceOf<ParkingProfile> | SiteDeviceOf<BinProfile>;

/** How the gateway sends batches upstream; defaults filled in by the loader. */
export interface BatchPolicy {
  intervalMs: number;
  compression: 'none' | 'deflate';
}

export const DEFAULT_BATCH_POLICY: BatchPolicy = { intervalMs: 60_000, compression: 'none' };

/** An operator whose signed commands the gateway accepts (docs/commands.md). */
export interface Operator {
  id: string;
  /** The ed25519 public key, SPKI PEM text (read from the file the site names, or written inline). */
  publicKeyPem: string;
  /** Where the key came from: the resolved file path, or 'inline'. */
  source: string;
}

export interface Site {
  version: 1;
  site: string;
  gateway: string;
  file: string;
  batch: BatchPolicy;
  devices: SiteDevice[];
  /** Empty when the site lists none: then every command is refused. */
  operators: Operator[];
  /** Route name -> the lamp ids along it; every id is a lamp on this site. */
  corridors: { [name: string]: string[] };
}
