/**
 * The gateway's serial-node driver against a fake node on a @serialport/binding-mock port:
 * hello and identity, time and place, readings, commands, garbage, silence and shutdown.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createController } from '../../firmware/devices/create.js';
import type { Command, Output } from '../../firmware/devices/types.js';
import { Link } from '../../firmware/link/link.js';
import { encodeCbor } from '../../gateway/batch/cbor.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { SerialNode } from '../../gateway/node/serial-node.js';
import { MockHal } from '../harness/mock-hal.js';
import { runClock, settle } from '../harness/run-clock.js';
import { waitFor } from '../harness/wait-for.js';
import { lampConfig, LAMP_PINS } from '../devices/lamp-config.js';
import { HERE, NIGHT, serialRig } from './serial-rig.js';

test("the node's hello is checked, time and place go out, and its readings come out timed on the gateway clock", async () => {
  const r = serialRig();
  r.clock.advance(5_000);
  await r.connect();
  assert.equal(r.node.gatewayHellos, [{ gateway: 'gw-test', epoch: 3, session: 1 }]);
  assert.equal(r.node.setups(), [{ type: 'setup', wallMs: NIGHT + 5_000, latitude: HERE.latitude, longitude: HERE.longitude }]);
  assert.is(r.bridge.baudRate, 115200, 'the default speed');

  r.clock.advance(1_000);
  const sent: Output[] = [
    { type: 'reading', metric: 'field', value: 46.5, time: r.clock.now() - 400 },
    { type: 'event', name: 'occupied', severity: 'info', value: 1, time: r.clock.now(), detail: '' },
  ];
  r.node.emit(sent);
  r.node.sendState({ occupied: true, state: 'occupied', baseline: 45 });
  await waitFor(() => r.outputs.length === 2 && r.driver.state().occupied === true, 'the outputs and the state');
  assert.equal(r.outputs, sent, 'the same outputs, at the same monotonic times');

  const s = r.driver.state();
  assert.equal([s.link, s.identity, s.nodeId, s.boot, s.fw, s.nodeMode, s.lastHeardS], ['up', 'verified', 'parking-07', 1, '0.3.0', 'run', 0]);
  assert.is(s.baseline, 45);
  assert.equal(r.events(), [sent[1]], 'a healthy start says nothing of its own');
  await r.stop();
});

test("setup sends the place at once and the time once the gateway's clock is set, then every hour and after every hello", async () => {
  const r = serialRig({ synced: false });
  await r.connect();
  assert.equal(r.node.setups(), [{ type: 'setup', wallMs: undefined, latitude: HERE.latitude, longitude: HERE.longitude }],
    'the place, but no time: a node told 1970 would believe it');
  assert.is(r.logged('node.setup-waiting').length, 1);
  r.clock.setWall(NIGHT);
  await runClock(r.clock, 1_000);
  assert.equal(r.node.setups().map((m) => m.wallMs), [undefined, NIGHT + 1_000], 'the time within a second of NTP');

  for (let t = 0; t < 3_600_000; t += 30_000) {
    r.node.sendState({ occupied: false }); // the node's heartbeat keeps the link up
    await runClock(r.clock, 30_000, 10_000);
  }
  assert.is(r.node.setups().length, 3, 'and again an hour later');

  r.node.restart();
  await waitFor(() => r.node.setups().length === 4, 'a setup after the new hello');
  assert.equal(r.events('node-restarted').map((e) => [e.severity, e.value, e.detail]), [['info', 2, 'boot 1 -> 2, fw 0.3.0']]);
  assert.is(r.driver.state().boot, 2);
  await r.stop();
});

test("while the gateway's clock is unset the place goes after every node hello and on every new connection, the time once NTP set it", async () => {
  const r = serialRig({ synced: false });
  await r.connect();
  r.node.restart(); // a reboot
  await waitFor(() => r.node.setups().length === 2, 'the place after the reboot');
  r.node.restart({ boot: 1, fw: '0.3.1' }); // a replacement node, with no place stored
  await waitFor(() => r.node.setups().length === 3, 'the place for the replacement');
  r.bridge.unplug();
  await waitFor(() => r.driver.state().link === 'down', 'the loss');
  r.bridge.replug();
  await runClock(r.clock, 1_000, 500);
  await waitFor(() => r.bridge.isOpen(), 'the port again');
  r.node.sendState({ occupied: false }); // the first frame on the new connection
  await waitFor(() => r.node.setups().length === 4, 'the place on the new connection');
  await runClock(r.clock, 60_000, 1_000);
  const place = { type: 'setup', wallMs: undefined, latitude: HERE.latitude, longitude: HERE.longitude };
  assert.equal(r.node.setups(), [place, place, place, place], 'the place alone, once each, and nothing while nothing new is heard');
  assert.is(r.logged('node.setup-waiting').length, 4);

  r.clock.setWall(NIGHT);
  await runClock(r.clock, 1_000);
  assert.equal(r.node.setups().map((m) => m.wallMs), [undefined, undefined, undefined, undefined, NIGHT + 1_000], 'the time once, within a second of NTP');
  assert.is(r.driver.stats().setupsSent, 5);
  await r.stop();
});

test("an invalid command is refused at once with the node's own answer; a valid one is sent and answered", async () => {
  const r = serialRig({ kind: 'lamp' });
  const hal = new MockHal(r.clock);
  const lamp = createController('lamp', { hal, clock: r.clock, pins: LAMP_PINS, config: lampConfig(), location: HERE, emit: () => undefined });
  lamp.start();
  r.node.controller = lamp;
  await r.connect();

  const invalid: Command[] = [
    { name: 'override', args: { level: 2, durationS: 60 } },
    { name: 'override', args: { level: 0.5 } },
    { name: 'emergency', args: { on: 'yes' } },
    { name: 'dance', args: {} },
  ];
  for (const cmd of invalid) assert.equal(r.driver.command(cmd), lamp.command(cmd), cmd.name);

  const ok = r.driver.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  assert.equal([ok.ok, ok.code], [true, 'OK']);
  assert.match(ok.message, /^sent to node on \/dev\/ttyKERB\d+ as command 1/);
  await waitFor(() => r.logged('node.command-done').length === 1, 'the answer');
  assert.equal(r.node.commands().map((m) => [m.id, m.command]), [[1, { name: 'override', args: { level: 0.5, durationS: 60 } }]]);
  assert.is(hal.duty('D3'), 0.5, "the node's lamp took it");
  const done = r.logged('node.command-done')[0]!;
  assert.equal([done.id, done.command, done.code], [1, 'override', 'OK']);

  r.node.controller = {
    kind: 'lamp', start: () => undefined, stop: () => undefined, state: () => ({}),
    command: () => ({ ok: false, code: 'E_CMD_STATE', message: 'the driver is busy' }),
  };
  assert.is(r.driver.command({ name: 'clear-override', args: {} }).ok, true);
  await waitFor(() => r.events('command-refused').length === 1, 'the refusal');
  const refused = r.events('command-refused')[0]!;
  assert.equal([refused.severity, refused.value, refused.detail], ['info', 2, 'clear-override: E_CMD_STATE the driver is busy']);
  assert.equal([r.driver.stats().commandsSent, r.driver.stats().commandsAnswered, r.driver.stats().commandsFailed, r.driver.stats().commandsRefused], [2, 1, 1, 4]);
  lamp.stop();
  await r.stop();
});

test('commands are refused while the node is not reachable, and say why', async () => {
  const r = serialRig();
  const before = r.driver.command({ name: 'recalibrate', args: {} });
  assert.equal([before.ok, before.code], [false, 'E_CMD_OFFLINE']);
  assert.match(before.message, /stopped/);
  r.driver.start();
  await waitFor(() => r.bridge.isOpen(), 'the port');
  const unheard = r.driver.command({ name: 'recalibrate', args: {} });
  assert.equal([unheard.code, unheard.message], ['E_CMD_OFFLINE', `the node on ${r.port} has not been heard from yet`]);
  assert.equal(r.driver.command({ name: 'dance', args: {} }).code, 'E_CMD_UNKNOWN', 'an invalid command is invalid whatever the link');
  await r.stop();
});

test('a node with another id or kind is a fault, and its readings are not booked to this device', async () => {
  const r = serialRig({ hello: { id: 'bin-03', kind: 'bin' } });
  await r.connect();
  const [fault] = r.events('node-mismatch');
  assert.is(fault?.severity, 'fault');
  assert.match(fault!.detail, `the node on ${r.port} has id 'bin-03', not 'parking-07' and kind 'bin', not 'parking'`);
  r.node.emit([{ type: 'reading', metric: 'fill', value: 40, time: r.clock.now() }]);
  r.node.sendState({ fill: 40 });
  await waitFor(() => r.driver.stats().ignoredOutputs === 1, 'the reading to be ignored');
  await settle();
  assert.equal(r.outputs, [fault], 'only the fault came out');
  assert.is(r.driver.state().fill, undefined, "nor is the wrong node's state shown as this device's");
  assert.equal(r.node.setups(), [], "the site's location is not this node's");
  assert.is(r.driver.command({ name: 'recalibrate', args: {} }).code, 'E_CMD_NODE_MISMATCH');

  r.node.restart({ id: 'parking-07', kind: 'parking' }); // the right node is plugged in
  await waitFor(() => r.driver.state().identity === 'verified', 'the right node');
  r.node.emit([{ type: 'reading', metric: 'field', value: 44, time: r.clock.now() }]);
  await waitFor(() => r.outputs.some((o) => o.type === 'reading'), 'its reading');
  assert.is(r.node.setups().length, 1);
  await r.stop();
});

test('a different profile hash is a fault but the readings still count; safe mode is a fault with the boot count', async () => {
  const r = serialRig({ driver: { expectedProfileHash: 'beef0002' }, hello: { mode: 'safe', boot: 9 } });
  await r.connect();
  assert.equal(r.events().map((e) => [e.name, e.severity, e.value]), [['profile-mismatch', 'fault', 9], ['safe-mode', 'fault', 9]]);
  assert.match(r.events('profile-mismatch')[0]!.detail, 'the node runs profile c0ffee01, the site file gives beef0002');
  assert.match(r.events('safe-mode')[0]!.detail, 'boot 9');
  const cmd = r.driver.command({ name: 'recalibrate', args: {} });
  assert.equal([cmd.code, cmd.message], ['E_SAFE_MODE', `the node on ${r.port} is in safe mode (boot 9): it runs no controller until it is fixed`]);
  r.node.emit([{ type: 'event', name: 'start-failed', severity: 'fault', value: 0, time: r.clock.now(), detail: 'no pin A1' }]);
  await waitFor(() => r.events('start-failed').length === 1, "the node's own fault");
  assert.is(r.driver.state().nodeMode, 'safe');
  await r.stop();
});

test('a node already running when the gateway starts is heard without a hello: taken as the device, unverified', async () => {
  const r = serialRig();
  await r.connect();
  r.driver.stop(); // the gateway goes away; the node runs on
  await waitFor(() => !r.bridge.isOpen(), 'the port to close');
  const { log, records } = memoryLogger();
  const outputs: Output[] = [];
  const restarted = new SerialNode({
    device: { id: 'parking-07', kind: 'parking', location: HERE, transport: { type: 'serial', port: r.port } },
    clock: r.clock, log, emit: (o) => outputs.push(o), gateway: 'gw-test', epoch: 4, open: r.bridge.open,
  });
  r.node.received.length = 0;
  restarted.start();
  await waitFor(() => r.bridge.isOpen(), 'the port again');
  await waitFor(() => r.node.gatewayHellos.length === 2, "the new gateway's hello");
  r.node.emit([{ type: 'reading', metric: 'field', value: 44, time: r.clock.now() }]);
  await waitFor(() => outputs.length === 1 && r.node.setups().length === 1, 'the reading, and a setup in return');
  assert.equal([restarted.state().identity, restarted.state().link, restarted.state().boot], ['unverified', 'up', -1]);
  assert.ok(records.some((x) => x.event === 'node.unverified'));
  restarted.stop();
  await r.stop();
});

test('a hello the gateway cannot read is a fault, and the node stays unverified', async () => {
  const r = serialRig();
  r.driver.start();
  await waitFor(() => r.bridge.isOpen(), 'the port');
  const odd = new Link({
    clock: r.clock, retryMs: 500, queueLength: 4, write: (b) => r.bridge.toGateway(b), onHello: () => undefined, onData: () => undefined,
  });
  r.bridge.onGatewayWrite((b) => odd.receive(b));
  odd.start(encodeCbor({ id: 'parking-07', kind: 'parking', boot: -1 }));
  await waitFor(() => r.events('hello-refused').length === 1, 'the fault');
  assert.match(r.events('hello-refused')[0]!.detail, "the node's hello could not be read (boot: expected a boot count >= 0)");
  assert.equal([r.driver.state().identity, r.driver.stats().hellosRefused], ['unverified', 1]);
  odd.stop();
  r.node.stop();
  await r.stop();
});

test('garbage on the line and malformed payloads are counted and logged, never thrown, and the link goes on', async () => {
  const r = serialRig();
  await r.connect();
  r.bridge.toGateway(Uint8Array.from([0, 0x41, 0x42, 0x43, 0x44, 0, 7, 7, 7, 0, 0xff, 0xfe, 0x01, 0x02, 0]));
  r.node.sendPayload(encodeCbor([[9, 'x']]));
  r.node.sendPayload(encodeCbor({ not: 'an array' }));
  r.node.emit([{ type: 'reading', metric: 'field', value: 47, time: r.clock.now() }]);
  await waitFor(() => r.outputs.length === 1, 'the good reading after the bad ones');
  const stats = r.driver.stats();
  assert.is(stats.payloadsRefused, 2);
  assert.ok(stats.linkStats.frameErrors >= 2, `frame errors: ${stats.linkStats.frameErrors}`);
  assert.is(stats.errors, 0);
  assert.equal(r.logged('node.payload-refused').map((l) => l.reason), ['[0][0]: unknown message type 9', 'expected an array of outputs']);
  assert.is(r.driver.state().link, 'up');
  await r.stop();
});

test('nothing heard for 90 s is one silent fault; the node speaking again ends it', async () => {
  const r = serialRig();
  await r.connect();
  await runClock(r.clock, 89_000, 1_000);
  assert.is(r.driver.state().link, 'up');
  await runClock(r.clock, 2_000, 1_000);
  assert.is(r.driver.state().link, 'silent');
  await runClock(r.clock, 300_000, 10_000);
  const silent = r.events('link-silent');
  assert.is(silent.length, 1, 'one fault, not one per check');
  assert.match(silent[0]!.detail, `nothing heard from the node on ${r.port} for 90 s`);
  assert.is(r.driver.command({ name: 'recalibrate', args: {} }).code, 'E_CMD_OFFLINE');

  r.node.sendState({ occupied: false });
  await waitFor(() => r.driver.state().link === 'up', 'the node heard again');
  const [up] = r.events('link-up');
  assert.equal([up?.severity, up?.value], ['info', 301], 'silent from 90 s to 391 s');
  await r.stop();
});

test('stop() closes the port, clears every timer, and nothing comes out after it', async () => {
  const r = serialRig();
  await r.connect();
  r.driver.stop();
  r.node.emit([{ type: 'reading', metric: 'field', value: 47, time: r.clock.now() }]);
  await waitFor(() => !r.bridge.isOpen(), 'the port to close');
  r.node.stop();
  assert.is(r.clock.pending(), 0, 'no timer left on the clock');
  await runClock(r.clock, 120_000, 10_000);
  assert.equal(r.outputs, [], 'no reading, and no link-down or silent fault for a port we closed');
  assert.is(r.driver.state().link, 'stopped');
  r.driver.stop(); // twice is harmless
});

test.run();
