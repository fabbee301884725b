/**
 * The node runtime (firmware/node/) on the mock HAL, talking to a gateway end over the mock
 * serial line: hello, readings, state, commands, setup, safe mode and wear-limited storage.
 * The same runtime runs compiled in QuickJS in bundles.test.ts and bundle-*.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LampController } from '../../firmware/devices/lamp.js';
import { BOOT_KEY } from '../../firmware/node/boot-record.js';
import type { KeyStore } from '../../firmware/node/key-store.js';
import { ID_KEY, KerbNode, SETUP_WAIT_MS, type NodeBuild } from '../../firmware/node/node.js';
import { encodeMaintenance } from '../../gateway/node/node-messages.js';
import { WearLimitedStore } from '../../firmware/node/wear-limited-store.js';
import { lampConfig, LAMP_PINS, NIGHT_2310 } from '../devices/lamp-config.js';
import { AMSTERDAM } from '../devices/rig.js';
import { GatewayEnd } from '../harness/gateway-end.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

class MemoryStore implements KeyStore {
  readonly files = new Map<string, string>();
  writes = 0;
  read(key: string): string | undefined {
    return this.files.get(key);
  }
  write(key: string, text: string): void {
    this.writes++;
    this.files.set(key, text);
  }
}

const BUILD: NodeBuild = {
  id: 'lamp-07', kind: 'lamp', fw: '0.1.0', profile: 'abcd1234', pins: LAMP_PINS, config: lampConfig(),
  port: 'Serial1', baud: 115200, safeAfter: 3, stableMs: 60_000,
};

/** A node and a gateway end; with `wall`, the gateway answers the hello with that time. */
function bench(store = new MemoryStore(), wall?: number, onMaintenance?: () => void) {
  // The node's board clock knows nothing of wall time: only the gateway's setup tells it.
  const clock = new VirtualClock({ startWall: 0, synced: false });
  const hal = new MockHal(clock);
  const node = new KerbNode({ build: BUILD, hal, store, createController: (ctx) => new LampController(ctx as never), ...(onMaintenance ? { onMaintenance } : {}) });
  const serial = hal.serial('Serial1');
  const setup = wall === undefined ? undefined : { wall: () => wall + clock.now(), location: AMSTERDAM };
  const gw = new GatewayEnd(clock, (bytes) => serial.emitData(bytes), { setup });
  serial.onWrite((bytes) => gw.receive(bytes));
  return { clock, hal, node, gw, store };
}

test('a node says hello with its id, kind, firmware, profile hash and boot count, then reports', () => {
  const b = bench(undefined, NIGHT_2310);
  b.node.start();
  b.clock.advance(1000);
  // The node says it again on the gateway's first hello (it cannot know whether this gateway
  // heard it); the gateway takes the same boot twice as one.
  assert.ok(b.gw.hellos.length >= 1);
  for (const h of b.gw.hellos) assert.equal(h, { id: 'lamp-07', kind: 'lamp', fw: '0.1.0', profile: 'abcd1234', boot: 1, mode: 'run' });
  assert.ok(b.gw.state !== undefined, 'the controller state went out');
  assert.is(b.gw.refused.length, 0);
  b.node.stop();
});

test("the gateway's setup gives the node wall time and its place: the lamp knows it is night", () => {
  const b = bench();
  b.node.start();
  b.clock.advance(1000);
  b.gw.setup(NIGHT_2310, AMSTERDAM.latitude, AMSTERDAM.longitude);
  b.clock.advance(61_000); // the schedule re-checks every minute
  assert.ok(b.node.clock.wallSynced());
  assert.is(b.hal.duty('D3'), 0.2, 'base level at night');
  b.hal.setLevel('D2', 1);
  b.clock.advance(1000);
  assert.is(b.hal.duty('D3'), 1, 'full on motion');
  assert.ok(b.gw.values('motion').length >= 1, 'the motion count reached the gateway');
  b.node.stop();
});

test('commands are applied and answered; a bad one is refused with the controller\'s own error', () => {
  const b = bench(undefined, NIGHT_2310);
  b.node.start();
  b.clock.advance(1000);
  const good = b.gw.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  const bad = b.gw.command({ name: 'override', args: { level: 7, durationS: 60 } });
  const unknown = b.gw.command({ name: 'dance', args: {} });
  b.clock.advance(2000);
  assert.is(b.gw.result(good)?.code, 'OK');
  assert.is(b.gw.result(bad)?.code, 'E_CMD_RANGE');
  assert.is(b.gw.result(unknown)?.code, 'E_CMD_UNKNOWN');
  assert.is(b.hal.duty('D3'), 0.5);
  assert.is(b.gw.state?.mode, 'override', 'the changed state went out');
  b.node.stop();
});

test('after repeated failed boots the node comes up in safe mode: link and fail-safe level only', () => {
  const store = new MemoryStore();
  for (let i = 0; i < 3; i++) {
    const b = bench(store);
    b.node.start();
    b.clock.advance(10_000); // crashes before it is stable
    b.node.stop();
  }
  const b = bench(store);
  b.node.start();
  b.clock.advance(1000);
  assert.is(b.node.mode, 'safe');
  assert.is(b.gw.hellos[0]!.mode, 'safe');
  assert.is(b.gw.hellos[0]!.boot, 4);
  assert.is(b.hal.duty('D3'), 0.6, 'the lamp burns at its fail-safe level');
  const id = b.gw.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  b.clock.advance(1000);
  assert.is(b.gw.result(id)?.code, 'E_SAFE_MODE');
  // Once a boot runs long enough the crash-loop count starts again.
  b.clock.advance(60_000);
  b.node.stop();
  assert.equal(JSON.parse(store.files.get(BOOT_KEY)!), { boot: 4, unclean: 0 });
  const next = bench(store);
  next.node.start();
  assert.is(next.node.mode, 'run');
  next.node.stop();
});

test('without a gateway the controller starts after a few seconds anyway, assuming night', () => {
  const b = bench();
  b.node.start();
  b.clock.advance(SETUP_WAIT_MS - 100);
  assert.is(b.hal.isOpen('D3'), false, 'still waiting for the setup');
  b.clock.advance(200);
  assert.is(b.hal.duty('D3'), 0.2, 'base level: no wall time, so night is assumed');
  b.node.stop();
});

test('a boot costs two flash writes, and a setup repeated every minute for a day costs one', () => {
  const b = bench();
  b.node.start();
  for (let i = 0; i < 24 * 60; i++) {
    b.gw.setup(NIGHT_2310 + i * 60_000, AMSTERDAM.latitude, AMSTERDAM.longitude);
    b.clock.advance(60_000);
  }
  assert.is(b.store.writes, 3, 'boot, stable mark, the place once');
  b.node.stop();
});

test('the wear-limited store writes a changing value at most once per interval, the last one winning', () => {
  const clock = new VirtualClock();
  const store = new MemoryStore();
  const wl = new WearLimitedStore(store, clock, 3_600_000);
  for (let i = 0; i < 100; i++) {
    wl.set('k', i);
    clock.advance(60_000);
  }
  assert.is(store.writes, 2, 'at once, then an hour later');
  assert.is(wl.get('k'), 99);
  clock.advance(3_600_000);
  assert.is(store.writes, 3);
  assert.equal(JSON.parse(store.files.get('k')!), 99);
  wl.set('k', 99);
  clock.advance(3_600_000);
  assert.is(store.writes, 3, 'an unchanged value is not written');
  wl.stop();
});

test('a gateway that restarts while the node runs hears the node\'s hello again, and its state', () => {
  const b = bench(undefined, NIGHT_2310);
  b.node.start();
  b.clock.advance(2000);
  assert.ok(b.gw.hellos.every((h) => h.boot === 1));
  b.gw.stop();
  const serial = b.hal.serial('Serial1');
  const restarted = new GatewayEnd(b.clock, (bytes) => serial.emitData(bytes), { epoch: 2 });
  serial.onWrite((bytes) => restarted.receive(bytes));
  b.clock.advance(2000);
  assert.ok(restarted.hellos.length >= 1, 'the restarted gateway heard who the node is');
  assert.ok(restarted.hellos.every((h) => h.boot === 1), 'the same boot: the node did not restart');
  assert.ok(restarted.state !== undefined && restarted.state.mode === 'base', 'the state went out again');
  b.node.stop();
});

test('a gateway away for a minute loses nothing the node measured meanwhile', () => {
  const clock = new VirtualClock({ startWall: 0, synced: false });
  const hal = new MockHal(clock);
  const node = new KerbNode({ build: BUILD, hal, store: new MemoryStore(), createController: (ctx) => new LampController(ctx as never) });
  const serial = hal.serial('Serial1');
  let plugged = true;
  const connect = (epoch: number) => new GatewayEnd(clock, (bytes) => plugged && serial.emitData(bytes), {
    epoch, setup: { wall: () => NIGHT_2310 + clock.now(), location: AMSTERDAM },
  });
  let gw = connect(1);
  serial.onWrite((bytes) => plugged && gw.receive(bytes));
  node.start();
  clock.advance(2000);
  gw.stop();
  plugged = false; // the gateway is gone: nothing the node writes is heard or acknowledged
  clock.advance(5000);
  hal.setLevel('D2', 1);
  clock.advance(2000);
  hal.setLevel('D2', 0);
  clock.advance(53_000);
  plugged = true;
  gw = connect(2);
  clock.advance(30_000);
  assert.equal(gw.values('motion'), [1], 'the pedestrian of the outage arrives');
  assert.ok(gw.values('level').includes(1), 'and the full level it caused');
  assert.is(gw.state?.dropped, 0, 'nothing dropped');
  node.stop();
  gw.stop();
});

test('a node whose controller will not start keeps reporting so, and answers commands with why', () => {
  const clock = new VirtualClock({ startWall: 0, synced: false });
  const hal = new MockHal(clock);
  const node = new KerbNode({
    build: BUILD, hal, store: new MemoryStore(),
    createController: () => {
      throw new Error('pin D9 does not exist on this board');
    },
  });
  const serial = hal.serial('Serial1');
  const gw = new GatewayEnd(clock, (bytes) => serial.emitData(bytes), { setup: { wall: () => NIGHT_2310 + clock.now(), location: AMSTERDAM } });
  serial.onWrite((bytes) => gw.receive(bytes));
  node.start();
  clock.advance(1000);
  assert.is(gw.events('start-failed').length, 1);
  assert.equal([gw.state?.mode, gw.state?.error], ['start-failed', 'pin D9 does not exist on this board']);
  assert.is(hal.duty('D3'), 0.6, 'the lamp at its fail-safe level');
  const id = gw.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  clock.advance(1000);
  assert.is(gw.result(id)?.code, 'E_START_FAILED');
  // Its heartbeat goes on, so the gateway does not take it for dead.
  const before = gw.link.stats.delivered;
  clock.advance(120_000);
  assert.ok(gw.link.stats.delivered >= before + 3, `${gw.link.stats.delivered - before} frames in 2 minutes`);
  node.stop();
});

test('exceptions that reach the event loop are reported; a node that keeps throwing reboots', () => {
  const b = bench(undefined, NIGHT_2310);
  b.node.start();
  b.clock.advance(1000);
  let reboots = 0;
  b.node.uncaught(new Error('boom'), () => reboots++);
  b.clock.advance(1000);
  assert.equal(b.gw.events('uncaught').map((e) => (e as { detail: string }).detail), ['boom']);
  b.clock.advance(30_000);
  assert.is(b.gw.state?.uncaught, 1, 'counted in the state, sent with the next heartbeat');
  assert.is(reboots, 0, 'once is reported, not rebooted');
  b.clock.advance(11 * 60_000);
  b.node.uncaught(new Error('boom'), () => reboots++);
  b.node.uncaught(new Error('boom'), () => reboots++);
  assert.is(reboots, 0, 'three, but not within ten minutes');
  b.node.uncaught(new Error('boom'), () => reboots++);
  assert.is(reboots, 1, 'three within ten minutes: reboot');
  b.node.stop();
});

test('a garbled downlink is refused and reported, and the node carries on', () => {
  const b = bench(undefined, NIGHT_2310);
  b.node.start();
  b.clock.advance(1000);
  b.gw.link.send(Uint8Array.of(0x81, 0x83, 0x05, 0x01)); // a command cut short
  b.clock.advance(1000);
  const refused = b.gw.events('downlink-refused');
  assert.is(refused.length, 1);
  assert.match((refused[0] as { detail: string }).detail, /truncated/);
  const id = b.gw.command({ name: 'clear-override', args: {} });
  b.clock.advance(1000);
  assert.is(b.gw.result(id)?.code, 'OK');
  b.node.stop();
});

test('a provisioned id in the store wins over the build\'s; a malformed one is ignored', () => {
  const store = new MemoryStore();
  store.write(ID_KEY, 'lamp-42');
  const b = bench(store, NIGHT_2310);
  b.node.start();
  b.clock.advance(1000);
  assert.ok(b.gw.hellos.length >= 1);
  assert.is(b.gw.hellos[0]!.id, 'lamp-42');
  b.node.stop();
  const bad = new MemoryStore();
  bad.write(ID_KEY, 'no spaces allowed');
  const c = bench(bad, NIGHT_2310);
  c.node.start();
  c.clock.advance(1000);
  assert.is(c.gw.hellos[0]!.id, 'lamp-07', 'the build id, not a stored id the gateway could not match');
  c.node.stop();
});

test('a maintenance request is acknowledged before the node hands its port over; without a hand-over it is refused', () => {
  let handedOver = -1;
  const b = bench(undefined, NIGHT_2310, () => {
    handedOver = b.clock.now();
  });
  b.node.start();
  b.clock.advance(1000);
  const asked = b.clock.now();
  b.gw.link.send(encodeMaintenance());
  b.clock.advance(50);
  assert.is(handedOver, -1, 'not before the acknowledgement had time to leave');
  assert.is(b.gw.link.waiting(), 0, 'the request was acknowledged');
  b.clock.advance(100);
  assert.ok(handedOver >= asked + 100, `handed over at ${handedOver}`);
  b.node.stop();

  const c = bench(undefined, NIGHT_2310);
  c.node.start();
  c.clock.advance(1000);
  c.gw.link.send(encodeMaintenance());
  c.clock.advance(1000);
  assert.ok(c.gw.outputs.some((o) => o.type === 'event' && o.name === 'downlink-refused' && o.detail.includes('maintenance')));
  c.node.stop();
});

test.run();
