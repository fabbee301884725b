import * as assert from 'uvu/assert';
import { MIN, S, twoTargets } from './rig.js';
import { cmAtFill, StreetBin } from './bin-sim.js';

const test = twoTargets('bin fill');

const SAMPLE = 600 * S;

function started(fillPct: number) {
  const bin = new StreetBin();
  bin.distanceCm = cmAtFill(fillPct);
  bin.rig.device.start();
  bin.rig.clock.advance(S);
  return bin;
}

test('fill % comes from the median distance between emptyCm and fullCm', () => {
  const bin = started(40);
  const fill = bin.rig.values('fill');
  assert.is(fill.length, 1);
  assert.ok(Math.abs(fill[0]! - 40) < 0.1, `fill ${fill}`);
  assert.ok(Math.abs(bin.rig.values('distance')[0]! - cmAtFill(40)) < 0.05);
});

test('a bin crossing 80 % raises exactly one full alert even as it keeps filling', () => {
  const bin = started(60);
  for (let pct = 65; pct <= 100; pct += 5) {
    bin.distanceCm = cmAtFill(pct);
    bin.rig.clock.advance(SAMPLE);
  }
  const full = bin.rig.events('full');
  assert.is(full.length, 1);
  assert.is(full[0]!.severity, 'alert');
  assert.ok(Math.abs(full[0]!.value - 80) < 0.1, `alert value ${full[0]!.value}`);
  assert.ok(bin.rig.values('fill').length >= 8);
});

test('emptying the bin raises an emptied event and re-arms the full alert', () => {
  const bin = started(90);
  assert.is(bin.rig.events('full').length, 1);
  bin.distanceCm = cmAtFill(5);
  bin.rig.clock.advance(SAMPLE);
  const emptied = bin.rig.events('emptied');
  assert.is(emptied.length, 1);
  assert.is(emptied[0]!.severity, 'info');
  bin.distanceCm = cmAtFill(85);
  bin.rig.clock.advance(SAMPLE);
  assert.is(bin.rig.events('full').length, 2);
});

test('hovering around the alert level does not repeat the full alert', () => {
  const bin = started(70);
  for (const pct of [81, 78, 82, 79, 83, 60, 81]) {
    bin.distanceCm = cmAtFill(pct);
    bin.rig.clock.advance(SAMPLE);
  }
  assert.is(bin.rig.events('full').length, 1);
});

test('outlier echoes are removed by the median', () => {
  const bin = started(20);
  bin.rig.clear();
  // a ghost echo off the lid and a stray far one, among three true echoes of 50 cm
  bin.script = [bin.echoFor(50), bin.echoFor(5), bin.echoFor(50), bin.echoFor(390), bin.echoFor(50)];
  bin.rig.clock.advance(SAMPLE);
  assert.ok(Math.abs(bin.rig.values('distance')[0]! - 50) < 1e-6, `distance ${bin.rig.values('distance')}`);
  bin.script = [bin.echoFor(60), -1, bin.echoFor(500), bin.echoFor(61), bin.echoFor(62)];
  bin.rig.clock.advance(SAMPLE);
  assert.ok(Math.abs(bin.rig.values('distance')[1]! - 61) < 1e-6, 'no-echo and out-of-range echoes are dropped');
});

test('the median is over one burst: echoes of the previous burst never stand in for dropped ones', () => {
  const bin = started(20);
  bin.rig.clear();
  bin.script = [100, 100, 100, 100, 100].map((cm) => bin.echoFor(cm));
  bin.rig.clock.advance(SAMPLE);
  bin.script = [bin.echoFor(40), -1, -1, bin.echoFor(40), bin.echoFor(45)];
  bin.rig.clock.advance(SAMPLE);
  const d = bin.rig.values('distance');
  assert.ok(Math.abs(d[0]! - 100) < 1e-6 && Math.abs(d[1]! - 40) < 1e-6, `distances ${d}`);
});

test('too few valid echoes give one sensor-range fault until a good sample', () => {
  const bin = started(20);
  bin.rig.clear();
  for (let i = 0; i < 2; i++) {
    bin.script = [-1, -1, bin.echoFor(50), -1, bin.echoFor(1)];
    bin.rig.clock.advance(SAMPLE);
  }
  assert.is(bin.rig.events('sensor-range').length, 1);
  assert.is(bin.rig.events('sensor-range')[0]!.severity, 'fault');
  assert.equal(bin.rig.values('fill'), []);
  assert.is(bin.rig.state('faults'), 'sensor-range');
  bin.rig.clock.advance(SAMPLE);
  assert.is(bin.rig.values('fill').length, 1);
  assert.is(bin.rig.state('faults'), 'none');
});

test('the echoes of a burst are spaced at least 60 ms apart', () => {
  const bin = started(20);
  const times: number[] = [];
  bin.rig.hal.setEcho('D8', (now) => {
    times.push(now);
    return bin.echoFor(50);
  });
  bin.rig.clock.advance(SAMPLE);
  assert.is(times.length, 5);
  for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 60, `gap ${times[i]! - times[i - 1]!}`);
});

test('the measure command takes a fill sample now', () => {
  const bin = started(20);
  bin.distanceCm = cmAtFill(50);
  bin.rig.clock.advance(MIN);
  const r = bin.rig.device.command({ name: 'measure', args: {} });
  assert.is(r.ok, true);
  const busy = bin.rig.device.command({ name: 'measure', args: {} });
  assert.equal([busy.ok, busy.code], [false, 'E_CMD_STATE']);
  bin.rig.clock.advance(S);
  const fill = bin.rig.values('fill');
  assert.is(fill.length, 2);
  assert.ok(Math.abs(fill[1]! - 50) < 0.1);
  assert.is(bin.rig.device.command({ name: 'empty', args: {} }).code, 'E_CMD_UNKNOWN');
});

test('stop closes every pin and clears every timer', () => {
  const bin = started(20);
  bin.rig.device.command({ name: 'measure', args: {} });
  bin.rig.device.stop();
  for (const pin of ['D7', 'D8', 'D9', 'A2']) assert.not.ok(bin.rig.hal.isOpen(pin), pin);
  assert.is(bin.rig.clock.pending(), 0);
});

test.run();
