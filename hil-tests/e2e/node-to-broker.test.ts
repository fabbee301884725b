/**
 * End to end through a node: the bundle `kerb build --site --device` makes for lamp-n1 runs in
 * QuickJS behind the fake Espruino; its Serial1 is the far end of a @serialport/binding-mock
 * port; the real gateway drives that port with its serial-node driver beside a hosted lamp,
 * aggregates, batches and publishes through the real uplink to a real MQTT broker, where a
 * subscriber decodes what arrives. A pedestrian at the node's lamp is counted upstream, and an
 * operator's command from the gateway dims the node's lamp.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import path from 'node:path';
import { loadSite, profileHash } from '../../device-profiles/index.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { Gateway } from '../../gateway/gateway.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { resolveTarget } from '../../scripts/build/firmware-target.js';
import { ROOT } from '../cli/run-kerb.js';
import { firmwareFor } from '../harness/bundle-node.js';
import { deviceBoard } from '../harness/device-board.js';
import { FakeEspruino } from '../harness/espruino/fake-espruino.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { MockHal } from '../harness/mock-hal.js';
import { runClock } from '../harness/run-clock.js';
import { SerialMockBridge } from '../harness/serial-mock-bridge.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';

const SITE = path.join(ROOT, 'hil-tests', 'e2e', 'node-street.yaml');
const PROFILES = path.join(ROOT, 'device-profiles');
/** 23:10 in Amsterdam (UTC+2) on 2026-06-21: night. */
const NIGHT = Date.UTC(2026, 5, 21, 21, 10);

test("a node's pedestrians arrive upstream decoded, and a command from the gateway dims its lamp", async () => {
  await quickJsModule();
  const loaded = loadSite(SITE, { profilesDir: PROFILES });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const site = loaded.value;
  const topics = topicsFor(site.site, site.gateway);

  const broker = await startEmbeddedBroker();
  const batches: DecodedBatch[] = [];
  const sub = mqtt.connect(broker.url, { protocolVersion: 4 });
  sub.on('message', (topic, payload) => {
    if (topic === topics.batch || topic === topics.alert) batches.push(decodeBatch(payload));
  });
  await new Promise<void>((resolve, reject) => sub.once('connect', () => sub.subscribe(`${topics.prefix}/#`, { qos: 1 }, (e) => (e ? reject(e) : resolve()))));
  const { log, records } = memoryLogger();
  const uplink = siteUplink({ url: broker.url, site: site.site, gateway: site.gateway, epoch: 1, version: 'test', log, queue: new Outbox() });
  uplink.start();

  const clock = new VirtualClock({ startWall: NIGHT });
  const gatewayHal = new MockHal(clock);
  const bridge = new SerialMockBridge('/dev/ttyKERB-lamp-n1');
  const gateway = new Gateway({
    site: site.site, gateway: site.gateway, devices: site.devices, clock, epoch: 1, log, topics, sink: uplink,
    halFor: (d) => deviceBoard(gatewayHal, d.id), serial: { open: (o) => bridge.open(o) },
  });

  // The node: its own board, the firmware kerb build makes for lamp-n1 (its holdS override included).
  const target = resolveTarget({ site: SITE, device: 'lamp-n1', profilesDir: PROFILES, fw: '0.1.0' });
  const nodeHal = new MockHal(clock);
  const node = FakeEspruino.createLoaded({ clock, hal: nodeHal });
  node.serial1.onWrite((bytes) => bridge.toGateway(bytes));
  bridge.onGatewayWrite((bytes) => node.serial1.send(bytes));

  try {
    gateway.start();
    await waitFor(() => bridge.isOpen(), 'the gateway to open the node port');
    node.flash(firmwareFor(target.build));
    await runClock(clock, 10_000, 100);
    const state = () => gateway.devices().find((d) => d.id === 'lamp-n1')!.state;
    assert.is(state().link, 'up');
    assert.is(state().identity, 'verified', 'id, kind and profile hash match the site file');
    assert.is(target.build.profile, profileHash(site.devices.find((d) => d.id === 'lamp-n1')!));
    assert.is(nodeHal.duty('D3'), 0.2, 'the node learnt the time and place from the gateway: night, base level');
    assert.is(state().mode, 'base', "the node's own state, through the gateway");

    // Three pedestrians pass the node's lamp.
    for (let i = 0; i < 3; i++) {
      nodeHal.setLevel('D2', 1);
      await runClock(clock, 2_000, 100);
      assert.is(nodeHal.duty('D3'), 1, 'full level on motion');
      nodeHal.setLevel('D2', 0);
      await runClock(clock, 40_000, 250);
    }
    assert.is(nodeHal.duty('D3'), 0.2, 'back at base level after the hold');

    // An operator dims it for a minute.
    const result = gateway.command('lamp-n1', { name: 'override', args: { level: 0.5, durationS: 60 } });
    assert.equal([result.ok, result.code], [true, 'OK']);
    await runClock(clock, 1_000, 100);
    assert.is(nodeHal.duty('D3'), 0.5, 'the override reached the node');
    assert.ok(records.some((r) => r.event === 'node.command-done'), "the node's answer reached the gateway");

    await runClock(clock, 120_000, 500); // close the windows
    gateway.flush();
    await waitFor(() => batches.some((b) => b.series.some((s) => s.device === 'lamp-n1' && s.metric === 'motion')), 'a batch with the node');
    await waitFor(() => {
      const motion = batches.flatMap((b) => b.series).filter((s) => s.device === 'lamp-n1' && s.metric === 'motion');
      return motion.reduce((n, s) => n + (s.sum ?? 0), 0) === 3;
    }, 'all three pedestrians upstream');
    const levels = batches.flatMap((b) => b.series).filter((s) => s.device === 'lamp-n1' && s.metric === 'level');
    assert.ok(levels.some((s) => s.max === 1) && levels.some((s) => s.min === 0.2), JSON.stringify(levels));
    assert.ok(batches.flatMap((b) => b.series).some((s) => s.device === 'lamp-01'), 'the hosted lamp in the same batches');
    assert.is(node.errors.length, 0, node.errors.map((e) => e.message).join('; '));
  } finally {
    gateway.stop();
    node.dispose();
    await waitFor(() => !bridge.isOpen(), 'the port closed');
    await uplink.stop();
    sub.end(true);
    await broker.close();
  }
});

test.run();
