/**
 * The gateway with a site that mixes a hosted mock device and Kerb nodes on serial ports: the
 * node's readings go through the same aggregation, batches and uplink as the hosted lamp's,
 * commands reach the node's controller, and a node whose port is missing costs only its own
 * data.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite, profileHash } from '../../device-profiles/index.js';
import type { SiteDevice } from '../../device-profiles/types.js';
import { createController } from '../../firmware/devices/create.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { Gateway } from '../../gateway/gateway.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { ROOT } from '../cli/run-kerb.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { FakeNode } from '../harness/fake-node.js';
import { MockHal } from '../harness/mock-hal.js';
import { runClock } from '../harness/run-clock.js';
import { SerialMockBridge } from '../harness/serial-mock-bridge.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';
import { NIGHT } from './serial-rig.js';

const FIELD = 'A1';
const field = (uT: number) => (uT + 200) / 400;

function setup() {
  const loaded = loadSite(path.join(ROOT, 'hil-tests', 'node', 'mixed-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const site = loaded.value;
  const clock = new VirtualClock({ startWall: NIGHT });
  const hal = new MockHal(clock);
  const bridges = new Map<string, SerialMockBridge>();
  for (const d of site.devices) if (d.transport.type === 'serial') bridges.set(d.id, new SerialMockBridge(d.transport.port));
  const byPath = (p: string) => [...bridges.values()].find((b) => b.path === p)!;
  const sent: Array<{ topic: string; batch: DecodedBatch }> = [];
  const { log, records } = memoryLogger();
  const gateway = new Gateway({
    site: site.site, gateway: site.gateway, devices: site.devices, clock, epoch: 5, log, topics: topicsFor(site.site, site.gateway),
    sink: { send: (topic, payload) => sent.push({ topic, batch: decodeBatch(payload) }) > 0 },
    halFor: (d) => deviceBoard(hal, d.id),
    serial: { open: (o) => byPath(o.path).open(o) },
  });

  // park-07 is a node: the same parking controller, on the node's own board, behind the line.
  const park = site.devices.find((d) => d.id === 'park-07') as Extract<SiteDevice, { kind: 'parking' }>;
  const parkLine = bridges.get('park-07')!;
  const node = new FakeNode({
    clock, write: (bytes) => parkLine.toGateway(bytes), heartbeatMs: 30_000,
    hello: { id: 'park-07', kind: 'parking', fw: '0.3.0', profile: profileHash(park), boot: 4, mode: 'run' },
  });
  parkLine.onGatewayWrite((bytes) => node.receive(bytes));
  const nodeBoard = deviceBoard(hal, 'node-park-07');
  hal.setAnalog(boardPin('node-park-07', FIELD), field(45));
  node.controller = createController('parking', {
    hal: nodeBoard, clock, pins: park.pins, config: park.config, location: park.location, emit: (o) => node.emit([o]),
  });
  return { site, clock, hal, bridges, gateway, node, sent, records };
}

type Rig = ReturnType<typeof setup>;

/** Starts the gateway with bin-02's cable out, and powers up the park-07 node. */
async function start(r: Rig): Promise<void> {
  r.bridges.get('bin-02')!.unplug();
  r.gateway.start();
  await waitFor(() => r.bridges.get('park-07')!.isOpen(), 'the park-07 port');
  r.node.start();
  r.node.controller!.start();
  await waitFor(() => r.gateway.devices().find((d) => d.id === 'park-07')?.state.link === 'up', 'the park-07 node');
}

async function stop(r: Rig): Promise<void> {
  r.gateway.stop();
  r.node.controller!.stop();
  r.node.stop();
  await waitFor(() => [...r.bridges.values()].every((b) => !b.isOpen()), 'every port closed');
}

const batches = (r: Rig, topic: string) => r.sent.filter((s) => s.topic.endsWith(topic)).map((s) => s.batch);

test("a node's readings come out in the same batch as a hosted device's; a missing node costs only its own", async () => {
  const r = setup();
  await start(r);
  await runClock(r.clock, 60_000, 500);

  const [batch] = batches(r, '/batch');
  assert.ok(batch, 'a batch after the first window');
  const series = batch!.series.map((s) => `${s.device}/${s.metric}`);
  assert.ok(series.includes('lamp-01/level'), series.join(' '));
  assert.ok(series.includes('park-07/field'), series.join(' '));
  assert.ok(series.includes('park-07/occupied'), series.join(' '));
  const fieldSeries = batch!.series.find((s) => s.device === 'park-07' && s.metric === 'field')!;
  assert.is(fieldSeries.kind, 'parking');
  assert.ok(fieldSeries.n >= 1 && Math.abs(fieldSeries.last! - 45) < 0.5, JSON.stringify(fieldSeries));

  const alerts = batches(r, '/alert').flatMap((b) => b.events);
  assert.equal(alerts.map((e) => [e.device, e.name, e.severity]), [['bin-02', 'link-down', 'fault']], 'the unplugged node, at once');
  assert.equal(r.gateway.failedDevices(), [], 'a node whose port is missing still runs: its driver keeps trying');
  const states = Object.fromEntries(r.gateway.devices().map((d) => [d.id, d.state.link ?? 'hosted']));
  assert.equal(states, { 'lamp-01': 'hosted', 'park-07': 'up', 'bin-02': 'down' });

  r.bridges.get('bin-02')!.replug();
  await runClock(r.clock, 30_000, 1_000);
  await waitFor(() => r.bridges.get('bin-02')!.isOpen(), 'the bin-02 port');
  assert.is(r.bridges.get('bin-02')!.baudRate, 57600, "the site file's baud rate");
  assert.is(r.bridges.get('park-07')!.baudRate, 115200);
  const nodes = Object.fromEntries(r.gateway.nodeStats().map((s) => [s.id, [s.link, s.opens, s.openFailures]]));
  assert.equal(nodes, { 'park-07': ['up', 1, 0], 'bin-02': ['connecting', 1, 6] });
  await stop(r);
});

test("commands reach the node's controller through the gateway, and its refusal reaches the uplink", async () => {
  const r = setup();
  await start(r);
  const unknown = r.gateway.command('park-07', { name: 'dance', args: {} });
  assert.equal(unknown, { ok: false, code: 'E_CMD_UNKNOWN', message: "unknown command 'dance'; this device accepts recalibrate" });

  r.hal.setAnalog(boardPin('node-park-07', FIELD), field(110)); // a car
  await runClock(r.clock, 30_000, 500); // confirmed after 20 s
  const sentOk = r.gateway.command('park-07', { name: 'recalibrate', args: {} });
  assert.equal([sentOk.ok, sentOk.code], [true, 'OK']);
  await waitFor(() => r.records.some((x) => x.event === 'node.command-refused'), "the node's answer");
  await runClock(r.clock, 30_000, 500);

  const events = batches(r, '/batch').flatMap((b) => b.events).map((e) => [e.device, e.name, e.severity, e.detail ?? '']);
  assert.ok(events.some(([d, n]) => d === 'park-07' && n === 'occupied'), JSON.stringify(events));
  assert.ok(events.some(([d, n, s, detail]) => d === 'park-07' && n === 'command-refused' && s === 'info' &&
    detail === 'recalibrate: E_CMD_STATE recalibrate refused: the space is occupied'), JSON.stringify(events));
  await stop(r);
});

test('stopping the gateway closes every node port and leaves no timer behind', async () => {
  const r = setup();
  await start(r);
  await runClock(r.clock, 5_000, 500);
  await stop(r);
  assert.is(r.clock.pending(), 0);
  assert.ok(r.records.some((x) => x.event === 'node.stopped' && x.device === 'park-07'));
});

test.run();
