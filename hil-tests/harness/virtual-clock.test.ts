import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from './virtual-clock.js';

test('timers fire in due order, ties in the order they were set', () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimeout(() => seen.push('b@20'), 20);
  clock.setTimeout(() => seen.push('a@10'), 10);
  clock.setTimeout(() => seen.push('c@20'), 20);
  clock.advance(19);
  assert.equal(seen, ['a@10']);
  clock.advance(1);
  assert.equal(seen, ['a@10', 'b@20', 'c@20']);
});

test('a callback sees the time it was due, not the end of the advance', () => {
  const clock = new VirtualClock();
  const at: number[] = [];
  clock.setTimeout(() => at.push(clock.now()), 250);
  clock.advance(1000);
  assert.equal(at, [250]);
  assert.is(clock.now(), 1000);
});

test('timers set inside a callback run within the same advance', () => {
  const clock = new VirtualClock();
  const at: number[] = [];
  clock.setTimeout(() => {
    at.push(clock.now());
    clock.setTimeout(() => at.push(clock.now()), 100);
  }, 100);
  clock.advance(300);
  assert.equal(at, [100, 200]);
});

test('intervals repeat until cleared', () => {
  const clock = new VirtualClock();
  let n = 0;
  const id = clock.setInterval(() => n++, 10);
  clock.advance(55);
  assert.is(n, 5);
  clock.clearTimer(id);
  clock.advance(100);
  assert.is(n, 5);
  assert.is(clock.pending(), 0);
});

test('a cleared timeout never fires and zero-delay timers wait for runDue', () => {
  const clock = new VirtualClock();
  let fired = 0;
  const id = clock.setTimeout(() => fired++, 5);
  clock.clearTimer(id);
  clock.setTimeout(() => fired += 10, 0);
  assert.is(fired, 0);
  clock.runDue();
  clock.advance(10);
  assert.is(fired, 10);
});

test('wall time follows monotonic time and can jump without moving monotonic time', () => {
  const clock = new VirtualClock({ startWall: 0, synced: false });
  clock.advance(5000);
  assert.is(clock.wallTime(), 5000);
  assert.not.ok(clock.wallSynced());
  clock.setWall(Date.UTC(2026, 0, 1));
  assert.is(clock.wallTime(), Date.UTC(2026, 0, 1));
  assert.ok(clock.wallSynced());
  assert.is(clock.now(), 5000);
});

test('advancing backwards is refused', () => {
  const clock = new VirtualClock();
  clock.advance(10);
  assert.throws(() => clock.advanceTo(5), /before now/);
});

test.run();
