import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { DelayedOnOff } from './delayed-on-off.js';

function setup(onMs: number, offMs: number) {
  const clock = new VirtualClock();
  const seen: [number, number][] = [];
  const f = new DelayedOnOff(clock, onMs, offMs, 0, (v, t) => seen.push([v, t]));
  return { clock, seen, f };
}

test('output turns on only after the input has held on for the on-delay', () => {
  const { clock, seen, f } = setup(5000, 2000);
  f.push(1, 0);
  assert.ok(f.pending());
  clock.advance(4999);
  assert.equal(seen, []);
  clock.advance(1);
  assert.equal(seen, [[1, 5000]]);
  assert.is(f.output(), 1);
  assert.not.ok(f.pending());
});

test('repeated on samples do not restart the on-delay', () => {
  const { clock, seen, f } = setup(5000, 2000);
  for (let s = 0; s < 6; s++) {
    f.push(1, clock.now());
    clock.advance(1000);
  }
  assert.equal(seen, [[1, 5000]]);
});

test('a blip shorter than the delay produces nothing', () => {
  const { clock, seen, f } = setup(5000, 2000);
  f.push(1, 0);
  clock.advance(3000);
  f.push(0, clock.now());
  assert.not.ok(f.pending());
  clock.advance(10000);
  assert.equal(seen, []);
  assert.is(f.output(), 0);
});

test('turning off uses the off-delay', () => {
  const { clock, seen, f } = setup(1000, 2000);
  f.push(1, 0);
  clock.advance(1000);
  f.push(0, clock.now());
  clock.advance(1999);
  assert.equal(seen, [[1, 1000]]);
  clock.advance(1);
  assert.equal(seen, [[1, 1000], [0, 3000]]);
});

test('a zero delay changes the output inside push', () => {
  const { seen, f } = setup(0, 0);
  assert.is(f.push(1, 0), undefined);
  assert.equal(seen, [[1, 0]]);
});

test('reset sets the output without a callback and cancels a pending change', () => {
  const { clock, seen, f } = setup(1000, 1000);
  f.push(1, 0);
  f.reset(0);
  clock.advance(5000);
  assert.equal(seen, []);
  f.reset(1);
  assert.is(f.output(), 1);
  f.push(0, clock.now());
  f.stop();
  clock.advance(5000);
  assert.equal(seen, []);
  assert.is(clock.pending(), 0);
});

test.run();
