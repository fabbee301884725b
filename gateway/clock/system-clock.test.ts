import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SystemClock } from './system-clock.js';

test('a wait longer than Node can time in one setTimeout does not fire early', async () => {
  const clock = new SystemClock();
  let fired = false;
  const id = clock.setTimeout(() => (fired = true), 30 * 24 * 3_600_000); // 30 days
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.not.ok(fired, 'Node alone would have fired this after 1 ms');
  clock.clearTimer(id);
});

test('timeouts fire once and intervals repeat until cleared', async () => {
  const clock = new SystemClock();
  let once = 0;
  let repeated = 0;
  clock.setTimeout(() => once++, 1);
  const id = clock.setInterval(() => repeated++, 2);
  await new Promise((resolve) => setTimeout(resolve, 40));
  clock.clearTimer(id);
  const after = repeated;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(once, 1);
  assert.ok(after >= 3, `the interval repeated (${after})`);
  assert.is(repeated, after, 'nothing after clearTimer');
});

test('monotonic time never goes backwards and wall time is trusted after 2026', () => {
  const clock = new SystemClock();
  const a = clock.now();
  const b = clock.now();
  assert.ok(b >= a);
  assert.ok(clock.wallSynced());
});

test.run();
