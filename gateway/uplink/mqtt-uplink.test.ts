/**
 * The uplink's state machine against a scripted MQTT client on the virtual clock: what it does
 * when a broker refuses one message, drops the link, or never answers. The same uplink runs
 * against a real broker in hil-tests/uplink/.
 */
import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MqttClient } from 'mqtt';
import { memoryLogger } from '../log/logger.js';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { MqttUplink } from './mqtt-uplink.js';
import { Outbox } from './outbox.js';

type Publish = { topic: string; payload: Buffer; cb: (err?: Error) => void };

/** Just enough of MqttClient: connect, publish with a callback we answer, close. */
class ScriptedClient extends EventEmitter {
  published: Publish[] = [];
  ended = false;
  publish(topic: string, payload: Buffer, _opts: unknown, cb?: (err?: Error) => void): this {
    this.published.push({ topic, payload, cb: cb ?? (() => {}) });
    return this;
  }
  end(_force?: boolean, _opts?: unknown, cb?: () => void): this {
    this.ended = true;
    cb?.();
    return this;
  }
}

function setup(onConnect: (c: ScriptedClient) => void) {
  const clock = new VirtualClock();
  const clients: ScriptedClient[] = [];
  const { log, records } = memoryLogger();
  const up = new MqttUplink({
    url: 'mqtt://broker.test', clientId: 'gw', clock, log, statusTopic: 'status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'), random: () => 0.5,
    connect: () => {
      const c = new ScriptedClient();
      clients.push(c);
      clock.setTimeout(() => onConnect(c), 0);
      return c as unknown as MqttClient;
    },
  });
  return { clock, clients, up, records };
}

const data = (c: ScriptedClient) => c.published.filter((p) => p.topic !== 'status');

/** An MQTT 5 PUBACK failure as MQTT.js reports it: an Error with the reason code. */
const notAuthorized = (): Error => Object.assign(new Error('Publish error: Not authorized'), { code: 0x87 });
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a message the broker keeps refusing is set aside after three tries and the rest go on', async () => {
  const { clock, clients, up, records } = setup((c) => c.emit('connect'));
  up.start();
  up.send('t/bad', Buffer.from('bad'), 'telemetry');
  up.send('t/good', Buffer.from('good'), 'telemetry');
  for (let round = 0; round < 10 && up.stats().drops.refused === 0; round++) {
    clock.advance(120_000);
    const c = clients[clients.length - 1]!;
    for (const p of data(c)) {
      if (p.topic === 't/bad') p.cb(notAuthorized());
      else p.cb();
    }
    await tick(); // the deferred reconnect after a refusal
  }
  assert.is(up.stats().sent, 1, 'the good message was acknowledged');
  assert.is(up.stats().drops.refused, 1);
  assert.ok(clients.length <= 4, `no reconnect storm (${clients.length} connects)`);
  assert.ok(records.some((r) => r.event === 'uplink.message-refused'));
});

test('a link failure reported through a publish callback is not counted as a refusal', async () => {
  const { clock, clients, up } = setup((c) => c.emit('connect'));
  up.start();
  clock.runDue();
  up.send('t/0', Buffer.from('0'), 'telemetry');
  for (let i = 0; i < 5; i++) {
    const c = clients[clients.length - 1]!;
    // What MQTT.js does when a keepalive runs out: fail the callbacks, then close.
    for (const p of data(c)) p.cb(new Error('Connection closed'));
    c.emit('close');
    clock.advance(120_000);
    await tick();
  }
  assert.is(up.stats().drops.refused, 0);
  assert.is(up.stats().pending + up.stats().inflight, 1, 'the message is still waiting, not dropped');
});

test('in-flight messages are sent again after the link drops, in order', () => {
  const { clock, clients, up } = setup((c) => c.emit('connect'));
  up.start();
  clock.runDue();
  for (let i = 0; i < 3; i++) up.send(`t/${i}`, Buffer.from(String(i)), 'telemetry');
  const first = clients[0]!;
  assert.equal(data(first).map((p) => p.topic), ['t/0', 't/1', 't/2']);
  data(first)[0]!.cb();
  first.emit('close');
  assert.is(up.stats().state, 'backoff');
  clock.advance(60_000);
  const second = clients[1]!;
  assert.equal(data(second).map((p) => p.topic), ['t/1', 't/2']);
  assert.is(up.stats().reconnects, 1);
});

test('the in-flight window bounds what is outstanding', () => {
  const { clock, clients, up } = setup((c) => c.emit('connect'));
  up.start();
  clock.runDue();
  for (let i = 0; i < 40; i++) up.send(`t/${i}`, Buffer.from('x'), 'telemetry');
  assert.is(data(clients[0]!).length, 16);
  assert.is(up.stats().pending, 24);
  data(clients[0]!)[0]!.cb();
  clock.advance(5); // one token of the 200/s drain rate
  assert.is(data(clients[0]!).length, 17, 'one acknowledgement lets one more out');
});

test('a backlog drains no faster than the configured rate', () => {
  const clock = new VirtualClock();
  const clients: ScriptedClient[] = [];
  const up = new MqttUplink({
    url: 'mqtt://broker.test', clientId: 'gw', clock, log: memoryLogger().log, statusTopic: 'status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'), drainRatePerS: 10, inflightWindow: 4,
    connect: () => {
      const c = new ScriptedClient();
      clients.push(c);
      clock.setTimeout(() => c.emit('connect'), 0);
      // The broker acknowledges every publish at once.
      const publish = c.publish.bind(c);
      c.publish = (topic, payload, opts, cb) => {
        publish(topic, payload, opts, cb);
        clock.setTimeout(() => cb?.(), 0);
        return c;
      };
      return c as unknown as MqttClient;
    },
  });
  up.start();
  for (let i = 0; i < 44; i++) up.send(`t/${i}`, Buffer.from('x'), 'telemetry');
  clock.advance(1_000);
  const inFirstSecond = up.stats().sent;
  assert.ok(inFirstSecond >= 4 + 9 && inFirstSecond <= 4 + 11, `a burst of the window, then 10/s: ${inFirstSecond}`);
  clock.advance(3_000);
  assert.is(up.stats().sent, 44, 'all of it within the next 3 s at 10/s');
});

test('retries back off exponentially while the broker stays away, and say so', () => {
  const { clock, clients, up, records } = setup((c) => c.emit('close'));
  up.start();
  clock.advance(10 * 60_000);
  const delays = records.filter((r) => r.event === 'uplink.retry').map((r) => r.inMs as number);
  assert.ok(delays.length >= 5 && delays.length === clients.length, `${delays.length} retries`);
  assert.equal(delays.slice(0, 5), [250, 500, 1000, 2000, 4000], 'half of each ceiling with random 0.5');
  assert.ok(delays.every((d) => d <= 60_000), 'capped');
});

test('after stop() nothing more is accepted', async () => {
  const { up } = setup(() => {});
  up.start();
  await up.stop();
  assert.not.ok(up.send('t', Buffer.from('x'), 'telemetry'));
  assert.is(up.stats().state, 'stopped');
});

test.run();
