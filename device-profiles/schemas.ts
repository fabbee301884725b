/**
 * The JSON Schemas in schema/ as validation functions, compiled at build time
 * (generate-validators.ts): nothing is compiled when a gateway starts. Profiles are validated in
 * two steps so errors stay readable: the header (profile.schema.json without its per-kind
 * branches), then the config against the kind's own schema. Editors use profile.schema.json whole.
 */
import type { ValidateFunction } from 'ajv';
import type { DeviceKind } from '../firmware/devices/types.js';
import * as generated from './validators.generated.cjs';

/** Profile header: kind, model, version, description, pins (shape only), config (a map), reporting. */
export const validateProfileHeader: ValidateFunction = generated.profileHeader;
/** Every profile, whole: what editors see. The loader uses the two steps instead. */
export const validateProfileWhole: ValidateFunction = generated.profileWhole;
export const validateReporting: ValidateFunction = generated.reporting;
export const validateSite: ValidateFunction = generated.site;

export const validateConfig: { [kind in DeviceKind]: ValidateFunction } = {
  lamp: generated.lamp,
  parking: generated.parking,
  bin: generated.bin,
};

export const DEVICE_KINDS: readonly DeviceKind[] = ['lamp', 'parking', 'bin'];

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (DEVICE_KINDS as readonly string[]).indexOf(value) >= 0;
}
