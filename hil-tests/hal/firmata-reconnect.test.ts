/**
 * A Firmata board lost and found again without restarting the gateway: the outage is reported,
 * the link retries with backoff on the Kerb clock, and when the board is back its pin modes,
 * outputs and reports are set up again so watches keep working.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import type { BoardStatus } from '../../gateway/hal/firmata/firmata-hal.js';
import { MODE } from '../../gateway/hal/firmata/io.js';
import { PORT, readyRig } from './firmata-rig.js';

const j5Boards = (): unknown[] => (createRequire(import.meta.url)('johnny-five') as { Board: { cache: unknown[] } }).Board.cache;

test('disconnect, reconnect with backoff: outputs re-applied and the watch still reporting', () => {
  const rig = readyRig();
  const edges: Array<[number, number]> = [];
  const states: BoardStatus['state'][] = [];
  rig.hal.onStatus((s) => states.push(s.state));
  const pir = rig.hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 50, onEdge: (e) => edges.push([e.value, e.time]) });
  const lamp = rig.hal.pwm({ pin: '3', frequency: 1000, initial: 0.2 });
  const relay = rig.hal.digitalOut({ pin: '13', initial: 1 });
  lamp.write(1);

  rig.clock.advance(1000);
  rig.board.unplug();
  assert.is(rig.hal.status().state, 'down');
  assert.match(rig.hal.status().error ?? '', `the Firmata board on ${PORT} was lost (Disconnected)`);
  lamp.write(0.4); // remembered while the board is away
  assert.is(lamp.read(), 0.4);
  assert.is(relay.read(), 1);

  // Retries at +1 s and +3 s fail (the cable is out); the board is back before the one at +7 s.
  rig.clock.advance(3000);
  assert.is(rig.board.opens, 3);
  rig.board.plug();
  rig.clock.advance(3999);
  assert.is(rig.hal.status().state, 'down');
  rig.clock.advance(1);
  assert.is(rig.hal.status().state, 'ready');
  assert.is(rig.board.opens, 4);
  assert.is(rig.board.boots, 2);

  assert.is(rig.board.mode('3'), MODE.PWM);
  assert.is(rig.board.duty('3'), Math.round(0.4 * 255) / 255);
  assert.is(rig.board.mode('13'), MODE.OUTPUT);
  assert.is(rig.board.level('13'), 1);
  assert.is(rig.board.mode('2'), MODE.INPUT);

  const t = rig.clock.now();
  rig.board.setInput('2', 1);
  rig.clock.advance(50);
  assert.equal(edges, [[1, t]]);
  assert.is(pir.read(), 1);
  assert.equal(states, ['down', 'down', 'down', 'ready'], 'the loss, two failed retries, the board back');
  const s = rig.hal.status();
  assert.is(s.readies, 2);
  assert.is(s.outages, 1);
  const logged = rig.records.filter((r) => r.event.startsWith('firmata.') && r.event !== 'firmata.opening');
  assert.equal(logged.map((r) => r.event), [
    'firmata.ready', 'firmata.pwm-frequency', 'firmata.unavailable', 'firmata.unavailable', 'firmata.unavailable', 'firmata.ready',
  ]);
  assert.equal(logged.filter((r) => r.event === 'firmata.unavailable').map((r) => r['retryInMs']), [1000, 2000, 4000]);
  assert.is(logged[5]!['again'], true);
  assert.is(logged[5]!['outageMs'], 7000);
});

test('motion that started during the outage is reported when the board is back, timed then', () => {
  const rig = readyRig();
  const edges: Array<[number, number]> = [];
  rig.hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 50, onEdge: (e) => edges.push([e.value, e.time]) });
  rig.board.unplug();
  rig.board.setInput('2', 1);
  rig.clock.advance(500);
  rig.board.plug();
  rig.clock.advance(500);
  assert.is(rig.hal.status().state, 'ready');
  const back = rig.clock.now();
  rig.clock.advance(50);
  assert.equal(edges, [[1, back]]);
});

test('a change still in its debounce window when the board goes is dropped, not guessed', () => {
  const rig = readyRig();
  const edges: number[] = [];
  const pir = rig.hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 50, onEdge: (e) => edges.push(e.value) });
  rig.board.setInput('2', 1);
  rig.clock.advance(20);
  rig.board.unplug();
  rig.board.setInput('2', 0);
  rig.clock.advance(100);
  assert.equal(edges, []);
  assert.is(pir.read(), 1, 'the last level seen');
  rig.board.plug();
  rig.clock.advance(1000);
  rig.clock.advance(100);
  assert.equal(edges, [], 'back at the level last reported: nothing happened as far as anyone saw');
});

test('a ping in flight when the board goes answers -1; while away, pings answer -1 after the timeout', () => {
  const rig = readyRig({ firmware: 'PingFirmata' });
  const ping = rig.hal.pulseIn({ trigger: '7', echo: '8', triggerUs: 10, timeoutMs: 30 });
  rig.board.setEcho('8', () => 20_000);
  const got: Array<[number, number]> = [];
  ping.measure((us) => got.push([us, rig.clock.now()]));
  rig.clock.advance(5);
  rig.board.unplug();
  rig.clock.advance(400);
  assert.equal(got, [[-1, 280]]);
  ping.measure((us) => got.push([us, rig.clock.now()]));
  rig.clock.advance(30);
  assert.equal(got[1], [-1, 435]);
});

test('a day unplugged retries every 30 s and leaves nothing behind in johnny-five', () => {
  const before = j5Boards().length;
  const rig = readyRig();
  rig.board.unplug();
  rig.clock.advance(24 * 3600_000);
  assert.is(rig.hal.status().state, 'down');
  const retries = rig.records.filter((r) => r.event === 'firmata.unavailable').map((r) => r['retryInMs'] as number);
  assert.equal(retries.slice(0, 6), [1000, 2000, 4000, 8000, 16000, 30000]);
  assert.ok(retries.slice(5).every((ms) => ms === 30000));
  assert.ok(j5Boards().length <= before + 1, `johnny-five holds ${j5Boards().length - before} boards`);
  rig.hal.close();
  assert.is(j5Boards().length, before);
  assert.is(rig.clock.pending(), 0, 'no timer left on the clock');
});

test.run();
