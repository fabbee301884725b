/**
 * When the health message goes out, on the virtual clock with a stand-in uplink: changes at
 * most every 5 s, the period whatever the content, the uptime alone is no change.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { noDrops } from '../uplink/message-queue.js';
import { deviceHealthFrom, type HealthMessage } from './health-message.js';
import { HealthPublisher } from './health-publisher.js';

function setup(online = true) {
  const clock = new VirtualClock();
  let faults: HealthMessage['faults'] = [];
  let pending = 0;
  const sent: Array<{ at: number; message: HealthMessage }> = [];
  const build = (): HealthMessage => ({
    state: 'online', site: 's', gateway: 'g', epoch: 1, version: 'v', startedAt: null, uptimeS: Math.floor(clock.now() / 1000),
    clockSynced: true, spool: { pending, bytes: pending * 100, oldest: null }, drops: noDrops(),
    devices: { running: 3, failed: 0, faulty: faults.length }, faults,
  });
  const publisher: HealthPublisher = new HealthPublisher({
    clock, build,
    // Like MqttUplink.publishStatus(): renders only while the link is up.
    publish: () => {
      if (online) sent.push({ at: clock.now(), message: JSON.parse(publisher.render().toString()) });
    },
  });
  return {
    clock, publisher, sent,
    setFaults: (f: HealthMessage['faults']) => { faults = f; },
    setPending: (n: number) => { pending = n; },
    connect: () => sent.push({ at: clock.now(), message: JSON.parse(publisher.render().toString()) }),
  };
}

test('a fault is published once the 5 s since the last publish are over, not before', () => {
  const h = setup();
  h.publisher.start();
  h.connect(); // the uplink publishes on connect
  h.clock.advance(1_000);
  h.setFaults([{ id: 'bin-1', faults: ['sensor-range'] }]);
  h.clock.advance(3_000);
  assert.is(h.sent.length, 1, 'debounced');
  h.clock.advance(1_000);
  assert.is(h.sent.length, 2);
  assert.equal(h.sent[1]!.at, 5_000);
  assert.equal(h.sent[1]!.message.faults, [{ id: 'bin-1', faults: ['sensor-range'] }]);
  h.clock.advance(30_000);
  assert.is(h.sent.length, 2, 'no change, no publish before the period');
  h.publisher.stop();
});

test('the period republishes an unchanged message with a fresh uptime', () => {
  const h = setup();
  h.publisher.start();
  h.connect();
  h.clock.advance(180_000);
  assert.equal(h.sent.map((s) => [s.at, s.message.uptimeS]), [[0, 0], [60_000, 60], [120_000, 120], [180_000, 180]]);
  h.publisher.stop();
  assert.is(h.clock.pending(), 0, 'no timer left');
});

test('a flapping fault is published at most every 5 s; spool depth alone is no change', () => {
  const h = setup();
  h.publisher.start();
  h.connect();
  for (let i = 0; i < 30; i++) {
    h.setFaults(i % 2 === 0 ? [{ id: 'pir-1', faults: ['stuck'] }] : []);
    h.setPending(i);
    h.clock.advance(1_000);
  }
  const gaps = h.sent.slice(1).map((s, i) => s.at - h.sent[i]!.at);
  assert.ok(gaps.every((g) => g >= 5_000), `gaps ${gaps}`);
  assert.ok(h.sent.length <= 7, `${h.sent.length} publishes in 30 s`);
  h.publisher.stop();
});

test('while the link is down nothing is rendered; the connect publish carries the latest content', () => {
  const h = setup(false);
  h.publisher.start();
  h.setFaults([{ id: 'lamp-1', faults: ['pir-stuck'] }]);
  h.clock.advance(120_000);
  assert.is(h.sent.length, 0);
  h.connect();
  assert.equal(h.sent[0]!.message.faults, [{ id: 'lamp-1', faults: ['pir-stuck'] }]);
  h.publisher.stop();
});

test('device health from a snapshot: counts, and faulty devices sorted with their faults', () => {
  const d = (id: string, faults: string[]) => ({ id, kind: 'lamp' as const, lastSeenAgeS: 1, state: {}, faults });
  assert.equal(deviceHealthFrom({ devices: [d('b', ['y', 'x']), d('a', []), d('c', ['z'])], failedDevices: [{ id: 'e', error: 'no pin' }] }), {
    running: 3, failed: 1, faults: [{ id: 'b', faults: ['x', 'y'] }, { id: 'c', faults: ['z'] }],
  });
});

test('bad timings are refused', () => {
  const clock = new VirtualClock();
  assert.throws(() => new HealthPublisher({ clock, build: () => { throw new Error(); }, publish: () => {}, periodMs: 1_000, minIntervalMs: 5_000 }),
    /minIntervalMs must be 0..periodMs, got 5000/);
});

test.run();
