import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Edge, EdgeEvent, Level } from '../../firmware/hal/pins.js';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { EdgeDebouncer } from './edge-debounce.js';

function setup(debounceMs: number, edge: Edge = 'both', initial: Level = 0) {
  const clock = new VirtualClock();
  const seen: Array<EdgeEvent & { at: number }> = [];
  const d = new EdgeDebouncer(clock, { edge, debounceMs, onEdge: (e) => seen.push({ ...e, at: clock.now() }) }, initial);
  return { clock, seen, d };
}

test('a change that stays put is reported at change + debounce, stamped with the change time', () => {
  const { clock, seen, d } = setup(50);
  clock.advance(100);
  d.change(1);
  clock.advance(49);
  assert.equal(seen, []);
  clock.advance(1);
  assert.equal(seen, [{ value: 1, time: 100, at: 150 }]);
});

test('the same level reported twice (two merged interrupts) restarts the window and is one edge', () => {
  const { clock, seen, d } = setup(50);
  d.change(1);
  clock.advance(30);
  d.change(1); // went 0 and back to 1 between two interrupts
  clock.advance(49);
  assert.equal(seen, []);
  clock.advance(1);
  assert.equal(seen, [{ value: 1, time: 30, at: 80 }]);
});

test('with debounce 0 a repeated level is not an edge, and edges come from a zero-delay timer', () => {
  const { clock, seen, d } = setup(0);
  d.change(0);
  d.change(1);
  d.change(1);
  assert.equal(seen, [], 'never inside change()');
  clock.runDue();
  assert.equal(seen, [{ value: 1, time: 0, at: 0 }]);
});

test('the edge filter drops falls but the level still follows, re-arming the next rise', () => {
  const { clock, seen, d } = setup(10, 'rising');
  for (const level of [1, 0, 1] as const) {
    d.change(level);
    clock.advance(20);
  }
  assert.equal(seen.map((e) => [e.value, e.time]), [[1, 0], [1, 40]]);
});

test('close() cancels what is pending and nothing is reported afterwards', () => {
  const { clock, seen, d } = setup(50);
  d.change(1);
  d.close();
  d.change(0);
  clock.advance(100);
  assert.equal(seen, []);
  assert.is(clock.pending(), 0);
});

test.run();
