import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { Heartbeat } from './heartbeat.js';

test('heartbeat passes values through and re-emits the last one every period', () => {
  const clock = new VirtualClock();
  const seen: [number, number][] = [];
  const h = new Heartbeat(clock, 1000, (v, t) => seen.push([v, t]));
  assert.is(h.push(1, 0), 1);
  clock.advance(2500);
  assert.equal(seen, [[1, 1000], [1, 2000]]);
});

test('a new value restarts the period, so the heartbeat never follows it closely', () => {
  const clock = new VirtualClock();
  const seen: [number, number][] = [];
  const h = new Heartbeat(clock, 1000, (v, t) => seen.push([v, t]));
  h.push(1, 0);
  clock.advance(900);
  h.push(0, clock.now());
  clock.advance(1000);
  assert.equal(seen, [[0, 1900]]);
});

test('heartbeat stop clears its timer', () => {
  const clock = new VirtualClock();
  let n = 0;
  const h = new Heartbeat(clock, 100, () => n++);
  h.push(5, 0);
  h.stop();
  clock.advance(1000);
  assert.is(n, 0);
  assert.is(clock.pending(), 0);
});

test.run();
