import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPins, normalisePins } from './pin-roles.js';

const summary = (issues: ReturnType<typeof checkPins>) => issues.map((i) => i.path.join('.') + ': ' + i.message);

test('a lamp needs pir and driver; a light pin only when its schedule follows the light sensor', () => {
  assert.equal(checkPins('lamp', { schedule: { source: 'sun' } }, { pir: 'D2', driver: 'D3' }), []);
  const issues = checkPins('lamp', { schedule: { source: 'light' } }, { pir: 'D2', driver: 'D3' });
  assert.equal(summary(issues), ["pins.light: pin role 'light' is required because config.schedule.source is 'light' (given: pir, driver)"]);
  assert.equal(issues[0].related, [['config', 'schedule', 'source']]);
});

test('a parking sensor takes the pins of its sensor type and no others', () => {
  assert.equal(checkPins('parking', { sensor: 'magnetometer' }, { field: 'A1' }), []);
  assert.equal(summary(checkPins('parking', { sensor: 'distance' }, { field: 'A1', trigger: 'D5' })), [
    "pins.echo: pin role 'echo' is required because config.sensor is 'distance' (given: field, trigger)",
    "pins.field: is not a pin role of a parking device whose config.sensor is 'distance' (roles: 'trigger' or 'echo')",
  ]);
});

test('a bin needs all four of its pins', () => {
  const issues = checkPins('bin', {}, { trigger: 'D7', echo: 'D8' });
  assert.equal(issues.map((i) => i.path[1]), ['lid', 'temp']);
});

test('a misspelt role gets a suggestion', () => {
  const [issue] = checkPins('bin', {}, { trigger: 'D7', echo: 'D8', lid: 'D9', tmep: 'A2', temp: 'A3' });
  assert.equal(issue.path, ['pins', 'tmep']);
  assert.match(issue.message, "did you mean 'temp'?");
});

test('one pin given two roles is reported on the second role', () => {
  assert.equal(summary(checkPins('lamp', {}, { pir: 'D2', driver: 'D2' })), ["pins.driver: uses pin D2, already the 'pir' pin"]);
});

test('pins are normalised to strings; maps and nulls are dropped', () => {
  assert.equal(normalisePins({ a: 17, b: 'A0', c: null, d: { x: 1 } }), { a: '17', b: 'A0' });
  assert.equal(normalisePins(null), {});
});

test.run();
