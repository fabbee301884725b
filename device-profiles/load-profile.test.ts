import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConfigError } from './config-error.js';
import { loadProfile } from './load-profile.js';
import { loadProfiles } from './load-profiles.js';
import { tempDir } from '../hil-tests/harness/temp-dir.js';

const profilesDir = fileURLToPath(new URL('../../device-profiles/', import.meta.url));
const fixture = (name: string): string => join(profilesDir, 'fixtures', name);
const brief = (errors: ConfigError[]) => errors.map((e) => [e.code, e.line, e.path]);

function writeTemp(name: string, text: string): string {
  const file = join(tempDir('kerb-profile-'), name);
  writeFileSync(file, text);
  return file;
}

function errorsOf(file: string): ConfigError[] {
  const result = loadProfile(file);
  if (result.ok) throw new Error(file + ' loaded although it should not');
  return result.errors;
}

test('every shipped profile loads cleanly, and only the files directly in the directory count', () => {
  const result = loadProfiles(profilesDir);
  if (!result.ok) assert.unreachable(result.errors.map((e) => e.file + ':' + e.line + ' ' + e.path + ': ' + e.message).join('\n'));
  else {
    assert.equal(Object.keys(result.value).sort(),
      ['bin-ultrasonic', 'lamp-pir-light', 'lamp-pir-pwm', 'parking-magnetometer', 'parking-ultrasonic']);
    assert.is(result.value['lamp-pir-light'].kind, 'lamp');
    assert.is(result.value['parking-magnetometer'].name, 'parking-magnetometer');
  }
});

test('a profile with three independent mistakes yields three errors, each with its line and path', () => {
  assert.equal(brief(errorsOf(fixture('three-mistakes.yaml'))), [
    ['E_CFG_RANGE', 8, 'config.holdS'],
    ['E_CFG_UNKNOWN_FIELD', 9, 'config.baseLevl'],
    ['E_CFG_VALUE', 11, 'config.schedule.source'],
  ]);
});

test('messages say what was expected and what was found', () => {
  const [range, unknown, value] = errorsOf(fixture('three-mistakes.yaml'));
  assert.is(range.message, 'must be >= 1 (got 0)');
  assert.is(range.column, 10);
  assert.match(unknown.message, "did you mean 'baseLevel'?");
  assert.is(unknown.column, 3, 'an unknown field points at its name');
  assert.match(value.message, /must be 'sun' or 'light' \(got "moon"\)/);
});

test('config and reporting defaults are filled from the schema, given values are kept', () => {
  const result = loadProfile(fixture('minimal-lamp.yaml'));
  if (!result.ok || result.value.kind !== 'lamp') return assert.unreachable('minimal lamp should load');
  const { config, reporting, description } = result.value;
  assert.is(config.holdS, 45);
  assert.is(config.fadeS, 3);
  assert.is(config.pwmHz, 1000);
  assert.is(config.schedule.source, 'sun');
  assert.is(config.schedule.checkS, 60);
  assert.equal(reporting, { windowS: 60 });
  assert.is(description, '');
});

test('a distance parking sensor gets a neutral calibration, a magnetometer must give one', () => {
  const base = 'kind: parking\nmodel: p\nversion: 1\n';
  const distance = loadProfile(writeTemp('distance.yaml', base +
    'pins: { trigger: D5, echo: D6 }\nconfig: { sensor: distance, detectDelta: 30, releaseDelta: 15 }\n'));
  if (!distance.ok || distance.value.kind !== 'parking') return assert.unreachable('distance profile should load');
  assert.equal(distance.value.config.calibration, { gain: 1, offset: 0 });
  const magnet = errorsOf(writeTemp('magnet.yaml', base +
    'pins: { field: A1 }\nconfig:\n  sensor: magnetometer\n  detectDelta: 15\n  releaseDelta: 8\n'));
  assert.equal(brief(magnet), [['E_CFG_REQUIRED', 5, 'config.calibration']]);
  assert.match(magnet[0].message, 'magnetometer');
});

test('integer pins are accepted and normalised to strings', () => {
  const result = loadProfile(fixture('integer-pins.yaml'));
  if (!result.ok) return assert.unreachable('integer pins should load');
  assert.equal(result.value.pins, { trigger: '23', echo: '24', lid: '25', temp: 'A0' });
});

test('pins that are neither a name nor a whole number are rejected', () => {
  const errors = errorsOf(writeTemp('bad-pins.yaml',
    'kind: lamp\nmodel: m\nversion: 1\npins:\n  pir: 2.5\n  driver: "D 3"\nconfig: {}\n'));
  assert.equal(brief(errors), [['E_CFG_TYPE', 5, 'pins.pir'], ['E_CFG_VALUE', 6, 'pins.driver']]);
});

test('cross-field rules fire, each at the field it blames', () => {
  const errors = errorsOf(fixture('broken-rules.yaml'));
  assert.equal(brief(errors), [['E_CFG_RULE', 7, 'config.fullCm'], ['E_CFG_RULE', 9, 'config.fullClearPct']]);
  assert.match(errors[0].message, 'must be < emptyCm, which is 20 (got 40');
});

test('a lamp whose light levels overlap breaks the hysteresis rule', () => {
  const errors = errorsOf(writeTemp('overlap.yaml', 'kind: lamp\nmodel: m\nversion: 1\npins: { pir: 1, driver: 2, light: 3 }\n' +
    'config:\n  schedule:\n    source: light\n    lightOnBelow: 0.4\n    lightOffAbove: 0.3\n'));
  assert.equal(brief(errors), [['E_CFG_RULE', 9, 'config.schedule.lightOffAbove']]);
});

test('a lamp fading longer than its hold, or judged silent before stuck, breaks the timing rules', () => {
  const lamp = 'kind: lamp\nmodel: m\nversion: 1\npins: { pir: 1, driver: 2 }\n';
  const fade = errorsOf(writeTemp('fade.yaml', lamp + 'config:\n  holdS: 10\n  fadeS: 12\n'));
  assert.equal(brief(fade), [['E_CFG_RULE', 7, 'config.fadeS']]);
  assert.match(fade[0].message, 'must be <= holdS, which is 10 (got 12');
  // fadeS left at its default (3): the error points at the holdS that was written
  const shortHold = errorsOf(writeTemp('hold.yaml', lamp + 'config:\n  holdS: 2\n'));
  assert.equal(brief(shortHold), [['E_CFG_RULE', 6, 'config.holdS']]);
  const pir = errorsOf(writeTemp('pir.yaml', lamp + 'config:\n  pirStuckHighS: 600\n  pirSilentS: 600\n'));
  assert.equal(brief(pir), [['E_CFG_RULE', 7, 'config.pirSilentS']]);
  assert.match(pir[0].message, 'must be > pirStuckHighS, which is 600 (got 600');
  const fine = loadProfile(writeTemp('fine.yaml',
    lamp + 'config:\n  holdS: 3\n  fadeS: 3\n  pirSilentS: 601\n  pirStuckHighS: 600\n'));
  assert.ok(fine.ok, 'fadeS equal to holdS is allowed');
});

test('every YAML syntax error is reported with its position', () => {
  const errors = errorsOf(fixture('broken-syntax.yaml'));
  assert.equal(errors.map((e) => [e.code, e.line, e.column]), [['E_CFG_SYNTAX', 3, 1], ['E_CFG_SYNTAX', 5, 3]]);
  assert.match(errors[1].message, 'unique');
});

test('a JSON profile is validated like YAML, with line numbers', () => {
  assert.equal(brief(errorsOf(fixture('parking-json.json'))), [['E_CFG_RULE', 10, 'config.releaseDelta']]);
});

test('invalid JSON is reported at its position, even where YAML would accept it', () => {
  const errors = errorsOf(writeTemp('trailing.json', '{\n  "kind": "bin",\n  "model": \'x\'\n}\n'));
  assert.equal(errors.map((e) => [e.code, e.line]), [['E_CFG_SYNTAX', 3]]);
});

test('a missing file, and a file name that cannot be a profile name, are reported', () => {
  assert.equal(errorsOf(join(profilesDir, 'no-such-profile.yaml')).map((e) => e.code), ['E_CFG_READ']);
  const named = errorsOf(writeTemp('Lamp_Big.yaml', 'kind: lamp\nmodel: m\nversion: 1\npins: { pir: 1, driver: 2 }\nconfig: {}\n'));
  assert.equal(named.map((e) => e.code), ['E_CFG_PROFILE_NAME']);
});

test('an empty file is one error: the profile must be a map', () => {
  assert.equal(brief(errorsOf(writeTemp('empty.yaml', ''))), [['E_CFG_TYPE', 1, '']]);
});

test('loadProfiles returns the errors of every broken file in the directory', () => {
  const result = loadProfiles(join(profilesDir, 'fixtures'));
  if (result.ok) return assert.unreachable('the fixtures directory holds broken profiles');
  const files = new Set(result.errors.map((e) => e.file.replace(/^.*[\\/]/, '')));
  for (const name of ['three-mistakes.yaml', 'broken-rules.yaml', 'broken-syntax.yaml', 'parking-json.json']) {
    assert.ok(files.has(name), name + ' should be reported');
  }
});

test.run();
