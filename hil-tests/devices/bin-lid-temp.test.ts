import * as assert from 'uvu/assert';
import { MIN, S, twoTargets } from './rig.js';
import { cmAtFill, soundCmPerUs, StreetBin } from './bin-sim.js';

const test = twoTargets('bin lid and temperature');

const SAMPLE = 600 * S;

function started() {
  const bin = new StreetBin();
  bin.distanceCm = cmAtFill(30);
  bin.rig.device.start();
  bin.rig.clock.advance(S);
  return bin;
}

test('with the lid open, fill samples are rejected and counted', () => {
  const bin = started();
  bin.rig.clear();
  bin.setLid(true);
  bin.rig.clock.advance(S);
  assert.equal(bin.rig.values('lid'), [1]);
  bin.distanceCm = 10; // someone's arm
  bin.rig.clock.advance(2 * SAMPLE);
  assert.equal(bin.rig.values('fill'), []);
  assert.equal(bin.rig.values('distance'), []);
  assert.is(bin.rig.state('rejectedLid'), 2);
  const r = bin.rig.device.command({ name: 'measure', args: {} });
  assert.equal([r.ok, r.code], [false, 'E_CMD_STATE']);
  bin.distanceCm = cmAtFill(30);
  bin.setLid(false);
  bin.rig.clock.advance(SAMPLE);
  assert.equal(bin.rig.values('lid'), [1, 0]);
  assert.is(bin.rig.values('fill').length, 1);
});

test('a lid opening during a burst discards the burst', () => {
  const bin = started();
  bin.rig.clear();
  bin.rig.clock.advance(SAMPLE - S + 100); // 100 ms into the next burst
  bin.setLid(true);
  bin.distanceCm = 10;
  bin.rig.clock.advance(2 * S);
  assert.equal(bin.rig.values('fill'), []);
  assert.is(bin.rig.state('rejectedLid'), 1);
  assert.is(bin.rig.state('measuring'), false);
});

test('a temperature spike raises one fire alert', () => {
  const bin = started();
  bin.rig.clock.advance(10 * MIN);
  bin.airC = 95;
  bin.rig.clock.advance(5 * MIN);
  bin.airC = 22;
  bin.rig.clock.advance(20 * MIN);
  const fire = bin.rig.events('fire');
  assert.is(fire.length, 1);
  assert.is(fire[0]!.severity, 'alert');
  assert.ok(Math.abs(fire[0]!.value - 95) < 0.01);
  assert.ok(bin.rig.values('temp').some((t) => Math.abs(t - 95) < 0.01));
});

test('a fast rise below fireTempC raises a fire alert; the alert re-arms once back to normal', () => {
  const bin = started();
  bin.rig.clock.advance(10 * MIN);
  bin.airC = 38; // +18 °C within one sample
  bin.rig.clock.advance(MIN);
  assert.is(bin.rig.events('fire').length, 1);
  bin.airC = 45;
  bin.rig.clock.advance(MIN);
  assert.is(bin.rig.events('fire').length, 1, 'still the same episode');
  bin.airC = 20;
  bin.rig.clock.advance(10 * MIN);
  bin.airC = 75;
  bin.rig.clock.advance(MIN);
  assert.is(bin.rig.events('fire').length, 2);
});

test('a slow warm-up through the day is no fire', () => {
  const bin = started();
  for (let i = 0; i < 40; i++) {
    bin.airC += 0.5; // 20 °C more over 10 h
    bin.rig.clock.advance(15 * MIN);
  }
  assert.equal(bin.rig.events('fire'), []);
});

test('the speed of sound follows the temperature: 0 °C vs 30 °C', () => {
  const bin = started();
  // A fixed echo width reads farther in warm air, by the ratio of the speeds of sound.
  const width = 2915;
  bin.airC = 0;
  bin.rig.clock.advance(MIN);
  bin.script = [width, width, width, width, width];
  bin.rig.device.command({ name: 'measure', args: {} });
  bin.rig.clock.advance(S);
  bin.airC = 30;
  bin.rig.clock.advance(MIN);
  bin.script = [width, width, width, width, width];
  bin.rig.device.command({ name: 'measure', args: {} });
  bin.rig.clock.advance(S);
  const d = bin.rig.values('distance').slice(-2);
  assert.ok(Math.abs(d[0]! - (width * soundCmPerUs(0)) / 2) < 1e-6, `cold ${d[0]}`);
  assert.ok(Math.abs(d[1]! - (width * soundCmPerUs(30)) / 2) < 1e-6, `warm ${d[1]}`);
  assert.ok(d[1]! - d[0]! > 2.5, 'about 2.6 cm apart at 50 cm');
  // A true 50 cm reads as 50 cm at either temperature.
  bin.distanceCm = 50;
  for (const c of [0, 30]) {
    bin.airC = c;
    bin.rig.clock.advance(MIN);
    bin.rig.device.command({ name: 'measure', args: {} });
    bin.rig.clock.advance(S);
    const last = bin.rig.values('distance').slice(-1)[0]!;
    assert.ok(Math.abs(last - 50) < 1e-6, `at ${c} °C read ${last}`);
  }
});

test.run();
