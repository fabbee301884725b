import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BinConfig, LampConfig, LampSchedule, LinearCalibration, ParkingConfig } from '../firmware/devices/config.js';
import { PIN_ROLES } from './pin-roles.js';
import { RULES } from './rules.js';
import binSchema from './schema/bin.schema.json' with { type: 'json' };
import lampSchema from './schema/lamp.schema.json' with { type: 'json' };
import parkingSchema from './schema/parking.schema.json' with { type: 'json' };
import profileSchema from './schema/profile.schema.json' with { type: 'json' };
import siteSchema from './schema/site.schema.json' with { type: 'json' };
import { validateConfig, validateProfileWhole } from './schemas.js';
import { loadProfiles } from './load-profiles.js';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { GENERATED_FILE, validatorsSource } from './generate-validators.js';

// The compiler checks these lists against the interfaces: a field added to or dropped from
// LampConfig without updating the list fails the build; the tests compare them with the schemas.
type Fields<T> = { [K in keyof T]-?: true };
const lampFields: Fields<LampConfig> = {
  fullLevel: true, baseLevel: true, holdS: true, fadeS: true, pwmHz: true, pirDebounceMs: true,
  failSafeLevel: true, pirStuckHighS: true, pirSilentS: true, schedule: true,
};
const scheduleFields: Fields<LampSchedule> = {
  source: true, duskOffsetMin: true, dawnOffsetMin: true, lightOnBelow: true, lightOffAbove: true, lightDelayS: true, checkS: true,
};
const parkingFields: Fields<ParkingConfig> = {
  sensor: true, sampleS: true, calibration: true, detectDelta: true, releaseDelta: true, confirmS: true, baselineAlpha: true, heartbeatS: true, rangeCm: true,
  relearnS: true,
};
const binFields: Fields<BinConfig> = {
  sampleS: true, tempSampleS: true, samples: true, emptyCm: true, fullCm: true, minCm: true, maxCm: true,
  fullAlertPct: true, fullClearPct: true, temperature: true, fireTempC: true, fireRiseC: true, fireRiseWindowS: true,
};
const calibrationFields: Fields<LinearCalibration> = { gain: true, offset: true };

type SchemaNode = { properties?: { [k: string]: unknown } };
const keysOf = (schema: unknown) => Object.keys((schema as SchemaNode).properties ?? {}).sort();
const sorted = (fields: object) => Object.keys(fields).sort();

test('each kind schema mirrors its config interface field for field', () => {
  assert.equal(keysOf(lampSchema), sorted(lampFields));
  assert.equal(keysOf(lampSchema.properties.schedule), sorted(scheduleFields));
  assert.equal(keysOf(parkingSchema), sorted(parkingFields));
  assert.equal(keysOf(parkingSchema.properties.calibration), sorted(calibrationFields));
  assert.equal(keysOf(binSchema), sorted(binFields));
  assert.equal(keysOf(binSchema.properties.temperature), sorted(calibrationFields));
});

test('every field in every schema has a description, and every object rejects unknown fields', () => {
  const problems: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as { [k: string]: unknown };
    if (n.properties && n.type === 'object' && n.additionalProperties !== false && where.indexOf('/then') < 0 &&
      where.indexOf('/else') < 0 && where.indexOf('/if') < 0) problems.push(where + ': additionalProperties is not false');
    for (const [name, child] of Object.entries((n.properties ?? {}) as { [k: string]: unknown })) {
      const c = child as { description?: unknown } | boolean;
      const inBranch = /\/(if|then|else)(\/|$)/.test(where);
      if (typeof c === 'object' && typeof c.description !== 'string' && !inBranch) problems.push(where + '/' + name + ': no description');
    }
    for (const [key, child] of Object.entries(n)) walk(child, where + '/' + key);
  };
  const schemas = { lampSchema, parkingSchema, binSchema, profileSchema, siteSchema };
  for (const [name, schema] of Object.entries(schemas)) walk(schema, name);
  assert.equal(problems, []);
});

test('the pin roles editors see in profile.schema.json are the roles the loader checks', () => {
  const branches = profileSchema.allOf.map((branch) => ({
    kind: branch.if.properties.kind.const,
    roles: (branch.then.properties.pins.propertyNames.enum as string[]).slice().sort(),
  }));
  assert.equal(branches, [
    { kind: 'lamp', roles: PIN_ROLES.lamp.slice().sort() },
    { kind: 'parking', roles: PIN_ROLES.parking.slice().sort() },
    { kind: 'bin', roles: PIN_ROLES.bin.slice().sort() },
  ]);
});

test('every cross-field rule names fields that exist in its kind schema', () => {
  const schemaOf = { lamp: lampSchema, parking: parkingSchema, bin: binSchema };
  for (const rule of RULES) {
    for (const field of [rule.field, rule.other]) {
      let node: unknown = schemaOf[rule.kind];
      for (const key of field.split('.')) node = (node as SchemaNode).properties?.[key];
      assert.ok(node, rule.kind + ' rule names unknown field ' + field);
    }
  }
});

test('the whole profile schema, as editors use it, accepts every shipped profile', async () => {
  const { readSource } = await import('./source-file.js');
  const loaded = loadProfiles(fileURLToPath(new URL('../../device-profiles/', import.meta.url)));
  if (!loaded.ok) return assert.unreachable('shipped profiles load');
  for (const profile of Object.values(loaded.value)) {
    const read = readSource(profile.file);
    if (!read.ok) return assert.unreachable(profile.file);
    assert.ok(validateProfileWhole(structuredClone(read.value.data)), profile.file + ': ' + JSON.stringify(validateProfileWhole.errors));
  }
});

test('the whole profile schema routes config to the kind schema and pins to the kind roles', () => {
  const lamp = { kind: 'lamp', model: 'm', version: 1, pins: { pir: 'D2', drvier: 'D3' }, config: { holdS: 0 } };
  assert.not.ok(validateProfileWhole(lamp));
  const paths = (validateProfileWhole.errors ?? []).map((e) => e.instancePath + ':' + e.keyword);
  assert.ok(paths.indexOf('/config/holdS:minimum') >= 0, paths.join(' '));
  assert.ok(paths.indexOf('/pins:required') >= 0, paths.join(' '));
});

test('the validators the build generated are those of the schemas now (npm run build regenerates them)', () => {
  const built = fs.readFileSync(fileURLToPath(new URL(`./${GENERATED_FILE}`, import.meta.url)), 'utf8');
  assert.ok(built === validatorsSource(), `${GENERATED_FILE} is stale: a schema changed after the build; run npm run build`);
});

test('the generated validators fill in defaults, as the loaders rely on', () => {
  const config: Record<string, unknown> = {};
  assert.ok(validateConfig.lamp(config), 'an empty lamp config is valid');
  assert.is(typeof config.holdS, 'number', 'holdS filled in from the schema');
});

test.run();
