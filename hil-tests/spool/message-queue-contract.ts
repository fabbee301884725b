/**
 * The contract every MessageQueue keeps, run against each implementation (as MQTT.js runs one
 * store suite against every store). A factory makes a fresh queue with the given limits; one
 * that can `reopen` (the spool) is also held to what must survive a restart.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MessageQueue, QueueLimits } from '../../gateway/uplink/message-queue.js';

export interface QueueFactory {
  create(limits: Partial<QueueLimits>): MessageQueue;
  /** Closes the queue and opens the same store again, as a restarted gateway would. */
  reopen?(queue: MessageQueue, limits: Partial<QueueLimits>): MessageQueue;
}

const kb = (n: number, fill = 0): Buffer => Buffer.alloc(n * 1024, fill);
const T = Date.UTC(2026, 5, 21);
const topics = (q: MessageQueue, n: number): string[] => Array.from({ length: n }, () => q.next()?.topic ?? '-');

export function queueContract(name: string, factory: QueueFactory): void {
  const test = suite(`${name}: MessageQueue contract`);
  const small = { maxBytes: 10 * 1024, alertReserveBytes: 2 * 1024 };

  test('messages come out oldest first, alerts before telemetry, with their payloads', () => {
    const q = factory.create({});
    q.add('t/0', Buffer.from('zero'), 'telemetry', T);
    q.add('t/1', Buffer.from('one'), 'telemetry', T + 1);
    q.add('a/0', Buffer.from('fire'), 'alert', T + 2);
    const first = q.next()!;
    assert.equal([first.topic, first.payload.toString(), first.cls, first.created], ['a/0', 'fire', 'alert', T + 2]);
    assert.equal(topics(q, 3), ['t/0', 't/1', '-']);
    q.close();
  });

  test('telemetry drops its oldest first when full, and counts each drop', () => {
    const q = factory.create(small);
    for (let i = 0; i < 10; i++) q.add(`t/${i}`, kb(1), 'telemetry', T + i);
    assert.is(q.pendingCount(), 8, 'telemetry stops at maxBytes minus the alert reserve');
    assert.is(q.drops()['telemetry-full'], 2);
    assert.is(q.next()!.topic, 't/2', 'the two oldest went first');
    q.close();
  });

  test('alerts use the reserved room and evict telemetry before they are refused', () => {
    const q = factory.create(small);
    for (let i = 0; i < 8; i++) q.add(`t/${i}`, kb(1), 'telemetry', T);
    assert.ok(q.add('a/0', kb(1), 'alert', T));
    assert.ok(q.add('a/1', kb(1), 'alert', T));
    assert.is(q.drops()['telemetry-full'], 0, 'the reserve took the first two alerts');
    assert.ok(q.add('a/2', kb(1), 'alert', T));
    assert.is(q.drops()['telemetry-full'], 1, 'the third alert evicted one telemetry message');
    q.add('t/new', kb(1), 'telemetry', T);
    assert.ok(q.totalBytes() <= 10 * 1024, 'never past maxBytes');
    q.close();
  });

  test('an alert that cannot fit even after evicting all telemetry is refused and evicts nothing', () => {
    const q = factory.create({ maxBytes: 4 * 1024, alertReserveBytes: 1024 });
    q.add('a/0', kb(2), 'alert', T);
    q.add('t/0', kb(1), 'telemetry', T);
    q.add('t/1', kb(1), 'telemetry', T);
    q.next(); // a/0 in flight: it cannot be evicted, and telemetry alone cannot make 3 KiB of room
    assert.not.ok(q.add('a/1', kb(3), 'alert', T));
    assert.equal([q.drops()['alert-full'], q.drops()['telemetry-full']], [1, 0]);
    assert.is(q.pendingCount(), 2, 'the telemetry is still there');
    q.close();
  });

  test('a message larger than its class may ever hold is refused without evicting anything', () => {
    const q = factory.create({ maxBytes: 4 * 1024, alertReserveBytes: 1024 });
    q.add('t/0', kb(1), 'telemetry', T);
    q.add('t/1', kb(1), 'telemetry', T);
    assert.not.ok(q.add('a', kb(5), 'alert', T));
    assert.not.ok(q.add('t/huge', kb(4), 'telemetry', T), 'telemetry may not use the alert reserve');
    assert.is(q.drops()['too-large'], 2);
    assert.is(q.pendingCount(), 2);
    q.close();
  });

  test('in-flight messages go back in their original order when the link drops', () => {
    const q = factory.create({});
    for (let i = 0; i < 4; i++) q.add(`t/${i}`, kb(1), 'telemetry', T);
    q.next();
    const second = q.next()!;
    q.acknowledge(second.id);
    q.next();
    assert.is(q.inflightCount(), 2);
    q.requeueInflight();
    assert.is(q.inflightCount(), 0);
    assert.equal(topics(q, 3), ['t/0', 't/2', 't/3']);
    assert.is(q.totalBytes(), 3 * 1024, 'only the acknowledged message left');
    q.close();
  });

  test('a refused message is dropped only after the limit', () => {
    const q = factory.create({});
    q.add('t/0', kb(1), 'telemetry', T);
    const msg = q.next()!;
    assert.not.ok(q.refuse(msg.id, 2));
    assert.ok(q.refuse(msg.id, 2));
    assert.is(q.drops().refused, 1);
    assert.is(q.totalBytes(), 0);
    q.close();
  });

  test('messages past their class age bound are dropped and counted; the oldest age is known', () => {
    const q = factory.create({ telemetryMaxAgeMs: 60_000, alertMaxAgeMs: 120_000 });
    q.add('t/old', kb(1), 'telemetry', T);
    q.add('a/old', kb(1), 'alert', T);
    q.add('t/new', kb(1), 'telemetry', T + 90_000);
    assert.is(q.oldest(), T);
    assert.is(q.expire(T + 100_000), 1);
    assert.equal([q.drops()['telemetry-expired'], q.drops()['alert-expired']], [1, 0]);
    assert.is(q.expire(T + 200_000), 2);
    assert.is(q.drops()['alert-expired'], 1);
    assert.is(q.oldest(), undefined);
    q.close();
  });

  test('outstanding counts what a crash could resend, and settle() brings it down to what is in flight', () => {
    const q = factory.create({});
    for (let i = 0; i < 4; i++) q.add(`t/${i}`, kb(1), 'telemetry', T);
    const a = q.next()!;
    q.next();
    q.acknowledge(a.id);
    assert.is(q.inflightCount(), 1);
    assert.ok(q.outstanding() >= 1 && q.outstanding() <= 2);
    q.settle();
    assert.is(q.outstanding(), 1);
    q.close();
  });

  test('limits that leave telemetry no room are refused at once, not by refusing every message', () => {
    assert.throws(() => factory.create({ maxBytes: 1024, alertReserveBytes: 1024 }), /alertReserveBytes must be >= 0 and below maxBytes/);
    assert.throws(() => factory.create({ maxBytes: 0 }), /maxBytes must be > 0/);
  });

  test('acknowledging an unknown id changes nothing', () => {
    const q = factory.create({});
    q.add('t/0', kb(1), 'telemetry', T);
    q.acknowledge(12345);
    assert.equal([q.pendingCount(), q.totalBytes()], [1, 1024]);
    q.close();
  });

  if (factory.reopen) {
    const reopen = factory.reopen;
    test('after a restart every unacknowledged message is there, in order, and drops are remembered', () => {
      let q = factory.create(small);
      for (let i = 0; i < 10; i++) q.add(`t/${i}`, kb(1, i), 'telemetry', T + i);
      q.add('a/0', kb(1), 'alert', T);
      const a = q.next()!;
      q.acknowledge(a.id);
      q.next(); // t/2 in flight when the gateway dies
      q = reopen(q, small);
      assert.is(q.pendingCount(), 8, 't/2..t/9: the one in flight is pending again, not lost');
      assert.is(q.inflightCount(), 0);
      const first = q.next()!;
      assert.equal([first.topic, first.payload[0]], ['t/2', 2]);
      assert.equal(topics(q, 8), ['t/3', 't/4', 't/5', 't/6', 't/7', 't/8', 't/9', '-']);
      assert.is(q.drops()['telemetry-full'], 2, 'drop counts survive the restart');
      assert.is(q.totalBytes(), 8 * 1024);
      q.close();
    });
  }

  test.run();
}
