import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Edge, EdgeEvent } from '../../firmware/hal/pins.js';
import { MockHal } from './mock-hal.js';
import { VirtualClock } from './virtual-clock.js';

function setup(debounceMs: number, edge: Edge = 'both') {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const seen: Array<EdgeEvent & { at: number }> = [];
  const input = hal.digitalIn({ pin: 'D2', edge, debounceMs, onEdge: (e) => seen.push({ ...e, at: clock.now() }) });
  return { clock, hal, seen, input };
}

test('a change that stays put is reported at change + debounce, stamped with the change time', () => {
  const { clock, hal, seen } = setup(50);
  clock.advance(100);
  hal.setLevel('D2', 1);
  clock.advance(49);
  assert.equal(seen, []);
  clock.advance(1);
  assert.equal(seen, [{ value: 1, time: 100, at: 150 }]);
});

test('bounces shorter than the debounce produce nothing', () => {
  const { clock, hal, seen } = setup(50);
  hal.setLevel('D2', 1);
  clock.advance(20);
  hal.setLevel('D2', 0);
  clock.advance(500);
  assert.equal(seen, []);
});

test('a bouncing edge is reported once, stamped with the last change before it settled', () => {
  const { clock, hal, seen } = setup(50);
  hal.setLevel('D2', 1);
  clock.advance(5);
  hal.setLevel('D2', 0);
  clock.advance(5);
  hal.setLevel('D2', 1); // settles here, at 10
  clock.advance(49);
  assert.equal(seen, []);
  clock.advance(1);
  assert.equal(seen, [{ value: 1, time: 10, at: 60 }]);
});

test('a glitch back to the reported level after it settled reports nothing', () => {
  const { clock, hal, seen } = setup(50);
  hal.setLevel('D2', 1);
  clock.advance(100);
  hal.setLevel('D2', 0);
  clock.advance(10);
  hal.setLevel('D2', 1);
  clock.advance(500);
  assert.equal(seen.map((e) => e.value), [1]);
});

test('with debounce 0 every change is delivered at the next runDue, never synchronously', () => {
  const { clock, hal, seen } = setup(0);
  hal.setLevel('D2', 1);
  hal.setLevel('D2', 0);
  assert.equal(seen, []);
  clock.runDue();
  assert.equal(seen, [{ value: 1, time: 0, at: 0 }, { value: 0, time: 0, at: 0 }]);
});

test('setting the level it already has is not an edge', () => {
  const { clock, hal, seen } = setup(0);
  hal.setLevel('D2', 0);
  clock.advance(10);
  assert.equal(seen, []);
});

test("edge 'rising' reports only 0→1, yet a filtered fall re-arms the next rise", () => {
  const { clock, hal, seen } = setup(20, 'rising');
  hal.setLevel('D2', 1);
  clock.advance(100);
  hal.setLevel('D2', 0);
  clock.advance(100);
  hal.setLevel('D2', 1);
  clock.advance(100);
  assert.equal(seen.map((e) => [e.value, e.time]), [[1, 0], [1, 200]]);
});

test("edge 'falling' reports only 1→0", () => {
  const { clock, hal, seen } = setup(0, 'falling');
  hal.setLevel('D2', 1);
  clock.advance(10);
  hal.setLevel('D2', 0);
  clock.advance(10);
  assert.equal(seen.map((e) => [e.value, e.time]), [[0, 10]]);
});

test('read() returns the raw pin level, not the debounced one (like digitalRead)', () => {
  const { clock, hal, input } = setup(50);
  hal.setLevel('D2', 1);
  assert.is(input.read(), 1);
  clock.advance(10);
  hal.setLevel('D2', 0);
  assert.is(input.read(), 0);
});

test('opening a watch reports nothing for the level the pin already has', () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  hal.setLevel('D3', 1);
  let n = 0;
  hal.digitalIn({ pin: 'D3', edge: 'both', debounceMs: 10, onEdge: () => n++ });
  clock.advance(100);
  assert.is(n, 0);
});

test('a pulled-up input that nothing drives reads high', () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const input = hal.digitalIn({ pin: 'D4', edge: 'both', debounceMs: 0, pull: 'up', onEdge: () => {} });
  assert.is(input.read(), 1);
  assert.is(hal.level('D4'), 1);
});

test('close cancels an edge waiting out its debounce and releases the pin', () => {
  const { clock, hal, seen, input } = setup(50);
  hal.setLevel('D2', 1);
  clock.advance(10);
  input.close();
  clock.advance(100);
  assert.equal(seen, []);
  assert.not.ok(hal.isOpen('D2'));
  assert.throws(() => input.read(), (e: { code?: string }) => e.code === 'E_HAL_CLOSED');
  const again = hal.digitalIn({ pin: 'D2', edge: 'both', debounceMs: 0, onEdge: () => {} });
  assert.is(again.read(), 1);
});

test.run();
