/**
 * The JSON Schemas in schema/, compiled once. Profiles are validated in two steps so errors stay
 * readable: the header (profile.schema.json without its per-kind branches), then the config
 * against the kind's own schema. Editors use profile.schema.json whole.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { DeviceKind } from '../firmware/devices/types.js';
import binSchema from './schema/bin.schema.json' with { type: 'json' };
import lampSchema from './schema/lamp.schema.json' with { type: 'json' };
import parkingSchema from './schema/parking.schema.json' with { type: 'json' };
import profileSchema from './schema/profile.schema.json' with { type: 'json' };
import siteSchema from './schema/site.schema.json' with { type: 'json' };

/** allErrors: every problem at once; useDefaults: configs come out complete; verbose: found values. */
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true, allowUnionTypes: true });
ajv.addSchema(lampSchema, 'lamp.schema.json');
ajv.addSchema(parkingSchema, 'parking.schema.json');
ajv.addSchema(binSchema, 'bin.schema.json');
ajv.addSchema(profileSchema, 'profile.schema.json');
ajv.addSchema(siteSchema, 'site.schema.json');

function get(key: string): ValidateFunction {
  const validate = ajv.getSchema(key);
  if (!validate) throw new Error('schema ' + key + ' is not registered');
  return validate;
}

const { allOf: _perKind, ...header } = profileSchema;

/** Profile header: kind, model, version, description, pins (shape only), config (a map), reporting. */
export const validateProfileHeader: ValidateFunction = ajv.compile(header);
/** Every profile, whole: what editors see. The loader uses the two steps instead. */
export const validateProfileWhole: ValidateFunction = get('profile.schema.json');
export const validateReporting: ValidateFunction = get('profile.schema.json#/definitions/reporting');
export const validateSite: ValidateFunction = get('site.schema.json');

export const validateConfig: { [kind in DeviceKind]: ValidateFunction } = {
  lamp: get('lamp.schema.json'),
  parking: get('parking.schema.json'),
  bin: get('bin.schema.json'),
};

export const DEVICE_KINDS: readonly DeviceKind[] = ['lamp', 'parking', 'bin'];

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (DEVICE_KINDS as readonly string[]).indexOf(value) >= 0;
}
