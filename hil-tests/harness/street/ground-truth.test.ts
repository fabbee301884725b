import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GroundTruth } from './ground-truth.js';

function truth() {
  return new GroundTruth([
    { id: 'lamp', kind: 'lamp' },
    { id: 'space', kind: 'parking' },
    { id: 'bin', kind: 'bin' },
  ]);
}

test('motionCount counts rising edges in [from, to)', () => {
  const t = truth();
  for (const ms of [100, 200, 300, 400]) t.recordMotion('lamp', ms);
  assert.is(t.motionCount('lamp', 200, 400), 2);
  assert.is(t.motionCount('lamp', 0, 1000), 4);
  assert.is(t.motionCount('lamp', 401, 1000), 0);
});

test('fillAt answers the fill in force at any time, the first value before it', () => {
  const t = truth();
  t.recordFill('bin', 1000, 20);
  t.recordFill('bin', 2000, 21);
  t.recordFill('bin', 3000, 2);
  assert.is(t.fillAt('bin', 0), 20);
  assert.is(t.fillAt('bin', 1999), 20);
  assert.is(t.fillAt('bin', 2000), 21);
  assert.is(t.fillAt('bin', 2999.5), 21);
  assert.is(t.fillAt('bin', 1e9), 2);
});

test('fillAt before anything was recorded is a typed error, not a guess', () => {
  assert.throws(() => truth().fillAt('bin', 0), (e: { code?: string }) => e.code === 'E_STREET_STATE');
});

test('occupiedAt follows the recorded changes; callers get copies', () => {
  const t = truth();
  t.recordOccupancy('space', 100, true);
  t.recordOccupancy('space', 500, false);
  assert.not.ok(t.occupiedAt('space', 99));
  assert.ok(t.occupiedAt('space', 100));
  assert.not.ok(t.occupiedAt('space', 500));
  t.occupancyChanges('space')[0]!.occupied = false;
  assert.ok(t.occupiedAt('space', 200));
});

test('asking a device of the wrong kind is E_STREET_UNKNOWN_DEVICE', () => {
  const t = truth();
  assert.throws(() => t.motionTimes('bin'), (e: { code?: string }) => e.code === 'E_STREET_UNKNOWN_DEVICE');
  assert.throws(() => t.recordFill('lamp', 0, 1), (e: { code?: string }) => e.code === 'E_STREET_UNKNOWN_DEVICE');
});

test.run();
