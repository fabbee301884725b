import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Outbox } from './outbox.js';
import { Backoff } from './backoff.js';

const kb = (n: number): Buffer => Buffer.alloc(n * 1024);

test('telemetry drops its oldest first when the outbox is full, and counts each drop', () => {
  const box = new Outbox({ maxBytes: 10 * 1024, alertReserveBytes: 2 * 1024 });
  for (let i = 0; i < 10; i++) box.add(`t/${i}`, kb(1), 'telemetry');
  assert.is(box.pendingCount(), 8, 'telemetry stops at maxBytes minus the alert reserve');
  assert.is(box.drops['telemetry-full'], 2);
  assert.is(box.next()!.topic, 't/2', 'the two oldest went first');
});

test('alerts use the reserved room and evict telemetry before they are refused', () => {
  const box = new Outbox({ maxBytes: 10 * 1024, alertReserveBytes: 2 * 1024 });
  for (let i = 0; i < 8; i++) box.add(`t/${i}`, kb(1), 'telemetry');
  assert.ok(box.add('a/0', kb(1), 'alert'));
  assert.ok(box.add('a/1', kb(1), 'alert'));
  assert.is(box.drops['telemetry-full'], 0, 'the reserve took the first two alerts');
  assert.ok(box.add('a/2', kb(1), 'alert'));
  assert.is(box.drops['telemetry-full'], 1, 'the third alert evicted one telemetry message');
  box.add('t/new', kb(1), 'telemetry');
  assert.ok(box.totalBytes() <= 10 * 1024, 'the outbox never grows past maxBytes');
});

test('a message larger than its class may ever hold is refused without evicting anything', () => {
  const box = new Outbox({ maxBytes: 4 * 1024, alertReserveBytes: 1024 });
  box.add('t/0', kb(1), 'telemetry');
  box.add('t/1', kb(1), 'telemetry');
  assert.not.ok(box.add('a', kb(5), 'alert'));
  assert.not.ok(box.add('t/huge', kb(4), 'telemetry'), 'telemetry may not use the alert reserve');
  assert.is(box.drops['too-large'], 2);
  assert.is(box.drops['telemetry-full'], 0);
  assert.is(box.pendingCount(), 2, 'what was queued is still queued');
});

test('a message the broker refuses is set aside only after the limit', () => {
  const box = new Outbox({ maxBytes: 1 << 20, alertReserveBytes: 0 });
  box.add('t/0', kb(1), 'telemetry');
  const msg = box.next()!;
  assert.not.ok(box.refuse(msg.id, 2));
  assert.ok(box.refuse(msg.id, 2));
  assert.is(box.drops.refused, 1);
  assert.is(box.totalBytes(), 0);
});

test('in-flight messages go back to the front in their original order when the link drops', () => {
  const box = new Outbox({ maxBytes: 1 << 20, alertReserveBytes: 0 });
  for (let i = 0; i < 4; i++) box.add(`t/${i}`, kb(1), 'telemetry');
  box.next();
  const second = box.next()!;
  box.acknowledge(second.id);
  box.next();
  box.requeueInflight();
  assert.equal([box.next()!.topic, box.next()!.topic, box.next()!.topic], ['t/0', 't/2', 't/3']);
  assert.is(box.totalBytes(), 3 * 1024, 'only the acknowledged message left');
});

test('backoff grows exponentially under full jitter and stays under its cap', () => {
  const top = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0.999999 });
  assert.equal([top.next(), top.next(), top.next(), top.next(), top.next()], [99, 199, 399, 799, 999]);
  const low = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0 });
  assert.is(low.next(), 0, 'full jitter may retry at once');
  top.reset();
  assert.is(top.next(), 99);
});

test.run();
