import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatErrors, type ConfigError } from './config-error.js';
import { loadSite } from './load-site.js';
import type { Site } from './types.js';
import { tempDir as makeTempDir } from '../hil-tests/harness/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const profilesDir = join(root, 'device-profiles');
const fixture = (name: string): string => join(profilesDir, 'fixtures', name);
const brief = (errors: ConfigError[]) => errors.map((e) => [e.code, e.line, e.path]);

function siteOf(file: string, dir = profilesDir): Site {
  const result = loadSite(file, { profilesDir: dir });
  if (!result.ok) throw new Error('expected ' + file + ' to load:\n' + formatErrors(result.errors));
  return result.value;
}

function errorsOf(file: string, dir = profilesDir): ConfigError[] {
  const result = loadSite(file, { profilesDir: dir });
  if (result.ok) throw new Error(file + ' loaded although it should not');
  return result.errors;
}

function tempDir(files: { [name: string]: string }): string {
  const dir = makeTempDir('kerb-site-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Metres between two points (haversine). */
function metres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => prefix + '-' + String(i + 1).padStart(2, '0'));

test('the demo street loads cleanly: 20 lamps, 30 parking spaces, 10 bins, on mock transport but lamp-05 on Firmata', () => {
  const site = siteOf(join(root, 'examples', 'demo-street.yaml'));
  assert.is(site.site, 'demo-street');
  assert.is(site.gateway, 'gw-demo-01');
  assert.equal(site.devices.map((d) => d.id), numbered('lamp', 20).concat(numbered('park', 30), numbered('bin', 10)));
  assert.equal(site.devices.filter((d) => d.transport.type !== 'mock').map((d) => [d.id, d.transport]),
    [['lamp-05', { type: 'firmata', port: 'mock-firmata:lamp-05' }]]);
  const uses = (profile: string) => site.devices.filter((d) => d.profileName === profile).length;
  assert.is(uses('lamp-pir-light'), 2);
  assert.is(uses('parking-ultrasonic'), 3);
});

test('the demo street is laid out along one street: lamps ~30 m, spaces ~6 m, bins ~60 m apart', () => {
  const site = siteOf(join(root, 'examples', 'demo-street.yaml'));
  const gaps = (prefix: string) => {
    const ds = site.devices.filter((d) => d.id.startsWith(prefix));
    return ds.slice(1).map((d, i) => metres(ds[i].location, d.location));
  };
  for (const gap of gaps('lamp-')) assert.ok(Math.abs(gap - 30) < 1, 'lamp gap ' + gap);
  for (const gap of gaps('bin-')) assert.ok(Math.abs(gap - 60) < 1, 'bin gap ' + gap);
  const parking = gaps('park-').filter((gap) => gap < 50);
  assert.is(parking.length, 28, 'two bays of 15 spaces');
  for (const gap of parking) assert.ok(Math.abs(gap - 6) < 0.5, 'parking gap ' + gap);
  const start = { latitude: 52.3676, longitude: 4.9041 };
  assert.ok(site.devices.every((d) => metres(start, d.location) < 650));
});

test('overrides are deep-merged into the profile and leave the profile itself alone', () => {
  const site = siteOf(join(root, 'examples', 'demo-street.yaml'));
  const lamp01 = site.devices[0];
  const lamp02 = site.devices[1];
  if (lamp01.kind !== 'lamp' || lamp02.kind !== 'lamp') return assert.unreachable('lamps first');
  assert.is(lamp01.config.baseLevel, 0.3);
  assert.is(lamp01.config.holdS, 30);
  assert.is(lamp01.profile.config.baseLevel, 0.2);
  assert.is(lamp02.config.baseLevel, 0.2);
  const park13 = site.devices.find((d) => d.id === 'park-13');
  assert.equal(park13?.reporting, { windowS: 30 });
});

test('a JSON site file loads; nested overrides keep the profile fields they do not name', () => {
  const [bin] = siteOf(fixture('site-small.json')).devices;
  if (bin.kind !== 'bin') return assert.unreachable('a bin');
  assert.equal(bin.config.temperature, { gain: 165, offset: -45 });
  assert.is(bin.profile.config.temperature.offset, -40);
  assert.equal(bin.pins, { trigger: 'D7', echo: 'D8', lid: 'D9', temp: '3' });
  assert.equal(bin.reporting, { windowS: 900 });
  assert.equal(bin.transport, { type: 'serial', port: '/dev/ttyUSB0', baud: 115200 }, 'a serial node runs at 115200 baud by default');
});

test('a device without a location takes the site default', () => {
  const dir = tempDir({ 'site.yaml': 'version: 1\nsite: s\ngateway: g\nlocation: { latitude: 52.1, longitude: 5.1 }\n' +
    'devices:\n  - { id: bin-01, profile: bin-ultrasonic, transport: { type: gpio } }\n' });
  assert.equal(siteOf(join(dir, 'site.yaml')).devices[0].location, { latitude: 52.1, longitude: 5.1 });
});

test('an unknown profile, a duplicate id and a bad override are all reported at once', () => {
  const errors = errorsOf(fixture('site-broken.yaml'));
  assert.equal(brief(errors), [
    ['E_CFG_PROFILE_UNKNOWN', 10, 'devices[1].profile'],
    ['E_CFG_DUPLICATE_ID', 12, 'devices[2].id'],
    ['E_CFG_RANGE', 20, 'devices[3].overrides.config.holdS'],
  ]);
  assert.match(errors[0].message, "did you mean 'lamp-pir-pwm'?");
  assert.match(errors[0].message, 'bin-ultrasonic, lamp-pir-light, lamp-pir-pwm, parking-magnetometer, parking-ultrasonic');
  assert.match(errors[1].message, 'devices[0] (line 6)');
  assert.is(errors[2].message, 'must be >= 1 (got 0)');
});

test('errors that only appear after merging point at the override or pin that caused them', () => {
  assert.equal(brief(errorsOf(fixture('site-override-causes.yaml'))), [
    ['E_CFG_PIN', 11, 'devices[0].pins.light'], // the override switched the schedule to 'light'
    ['E_CFG_REQUIRED', 14, 'devices[1].transport.port'],
    ['E_CFG_PIN', 16, 'devices[1].pins.trigger'],
    ['E_CFG_RULE', 18, 'devices[1].overrides.config.detectDelta'], // below the profile's releaseDelta
    ['E_CFG_RANGE', 19, 'devices[1].overrides.reporting.windowS'],
    ['E_CFG_LOCATION', 20, 'devices[2].location'],
  ]);
});

test('unknown fields and wrong types in the site file itself are positioned', () => {
  const dir = tempDir({ 'site.yaml': 'version: 1\nsite: Demo Street\ngateway: g\nlocation: { latitude: 91, longitude: 4.9 }\n' +
    'devices:\n  - id: lamp-01\n    profile: lamp-pir-pwm\n    transport: { type: mock, port: COM3 }\n    colour: red\n' });
  assert.equal(brief(errorsOf(join(dir, 'site.yaml'))), [
    ['E_CFG_VALUE', 2, 'site'],
    ['E_CFG_RANGE', 4, 'location.latitude'],
    ['E_CFG_UNKNOWN_FIELD', 8, 'devices[0].transport.port'],
    ['E_CFG_UNKNOWN_FIELD', 9, 'devices[0].colour'],
  ]);
});

test('a broken profile is reported when a device uses it, not when none does', () => {
  const good = 'kind: bin\nmodel: b\nversion: 1\npins: { trigger: 1, echo: 2, lid: 3, temp: 4 }\n' +
    'config: { emptyCm: 100, fullCm: 20, temperature: { gain: 165, offset: -40 } }\n';
  const broken = 'kind: bin\nmodel: b\nversion: 1\npins: { trigger: 1, echo: 2, lid: 3, temp: 4 }\nconfig: { emptyCm: 100 }\n';
  const dir = tempDir({ 'good-bin.yaml': good, 'broken-bin.yaml': broken });
  const head = 'version: 1\nsite: s\ngateway: g\nlocation: { latitude: 52, longitude: 5 }\ndevices:\n';
  writeFileSync(join(dir, 'uses-good.site'), head + '  - { id: b1, profile: good-bin, transport: { type: mock } }\n');
  writeFileSync(join(dir, 'uses-broken.site'), head + '  - { id: b1, profile: broken-bin, transport: { type: mock } }\n');
  assert.is(siteOf(join(dir, 'uses-good.site'), dir).devices.length, 1);
  const errors = errorsOf(join(dir, 'uses-broken.site'), dir);
  assert.ok(errors.length > 0 && errors.every((e) => e.file === join(dir, 'broken-bin.yaml')));
});

test('a serial transport takes a baud rate within 9600..921600; no other transport takes one', () => {
  const head = 'version: 1\nsite: s\ngateway: g\nlocation: { latitude: 52, longitude: 5 }\ndevices:\n';
  const dir = tempDir({
    'good.yaml': head + '  - { id: b1, profile: bin-ultrasonic, transport: { type: serial, port: /dev/ttyACM0, baud: 9600 } }\n' +
      '  - { id: b2, profile: bin-ultrasonic, transport: { type: mock } }\n',
    'bad.yaml': head + '  - { id: b1, profile: bin-ultrasonic, transport: { type: serial, port: /dev/ttyACM0, baud: 4800 } }\n' +
      '  - { id: b2, profile: bin-ultrasonic, transport: { type: serial, port: /dev/ttyACM1, baud: 115200.5 } }\n' +
      '  - { id: b3, profile: bin-ultrasonic, transport: { type: mock, baud: 9600 } }\n',
  });
  const [serial, mock] = siteOf(join(dir, 'good.yaml')).devices;
  assert.equal(serial!.transport, { type: 'serial', port: '/dev/ttyACM0', baud: 9600 });
  assert.equal(mock!.transport, { type: 'mock' }, 'no baud is made up for a transport without a line');
  assert.equal(brief(errorsOf(join(dir, 'bad.yaml'), profilesDir)), [
    ['E_CFG_RANGE', 6, 'devices[0].transport.baud'],
    ['E_CFG_TYPE', 7, 'devices[1].transport.baud'],
    ['E_CFG_UNKNOWN_FIELD', 8, 'devices[2].transport.baud'],
  ]);
});

test('the batch section sets the interval and compression; left out, they default; wrong, they are positioned', () => {
  const tail = 'location: { latitude: 52, longitude: 5 }\ndevices:\n  - { id: b1, profile: bin-ultrasonic, transport: { type: mock } }\n';
  const dir = tempDir({
    'plain.yaml': 'version: 1\nsite: s\ngateway: g\n' + tail,
    'set.yaml': 'version: 1\nsite: s\ngateway: g\nbatch: { intervalS: 900, compression: deflate }\n' + tail,
    'bad.yaml': 'version: 1\nsite: s\ngateway: g\nbatch: { intervalS: 0, compression: gzip, size: 3 }\n' + tail,
  });
  assert.equal(siteOf(join(dir, 'plain.yaml')).batch, { intervalMs: 60_000, compression: 'none' });
  assert.equal(siteOf(join(dir, 'set.yaml')).batch, { intervalMs: 900_000, compression: 'deflate' });
  assert.equal(brief(errorsOf(join(dir, 'bad.yaml'))), [
    ['E_CFG_RANGE', 4, 'batch.intervalS'],
    ['E_CFG_VALUE', 4, 'batch.compression'],
    ['E_CFG_UNKNOWN_FIELD', 4, 'batch.size'],
  ]);
});

test('a missing profiles directory is one error, not one per device', () => {
  const errors = errorsOf(fixture('site-small.json'), join(root, 'no-such-dir'));
  assert.equal(errors.map((e) => e.code), ['E_CFG_READ']);
});

test.run();
