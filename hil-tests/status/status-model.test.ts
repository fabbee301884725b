/**
 * The status model on the virtual clock: what a snapshot says, what it keeps (bounded), how faults
 * open and close, and how often it tells its listeners.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import type { DeviceKind, Output, StateValue } from '../../firmware/devices/types.js';
import type { GatewayStats, OutputListener } from '../../gateway/gateway.js';
import type { HostedDevice } from '../../gateway/host/device-host.js';
import { deviceHealthFrom } from '../../gateway/health/health-message.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import type { SerialNodeStats } from '../../gateway/node/serial-node.js';
import { StatusModel, type StatusGateway } from '../../gateway/status/status-model.js';
import { noDrops } from '../../gateway/uplink/message-queue.js';
import type { UplinkStats } from '../../gateway/uplink/mqtt-uplink.js';
import { ROOT } from '../cli/run-kerb.js';
import { buildRig } from '../harness/street-rig.js';
import { VirtualClock } from '../harness/virtual-clock.js';

const START = Date.UTC(2026, 5, 21, 21, 0);

interface FakeDevice {
  id: string;
  kind: DeviceKind;
  lastSeen: number;
  state: { [key: string]: StateValue };
}

class FakeGateway implements StatusGateway {
  readonly list: FakeDevice[] = [];
  nodes: Array<{ id: string } & SerialNodeStats> = [];
  failed: Array<{ id: string; error: string }> = [];
  counters = { readings: 7, events: 3, alerts: 1, batches: 2, batchBytes: 300, values: 100, seq: 2, refused: 0, invalidReadings: 1 } as GatewayStats;
  private listeners: OutputListener[] = [];

  constructor(private readonly clock: VirtualClock) {}

  add(id: string, kind: DeviceKind, state: FakeDevice['state'] = {}): FakeDevice {
    const d = { id, kind, lastSeen: -1, state };
    this.list.push(d);
    return d;
  }

  emit(id: string, output: Output): void {
    const d = this.list.find((x) => x.id === id)!;
    d.lastSeen = this.clock.now();
    const hosted = { id: d.id, kind: d.kind, lastSeen: d.lastSeen } as unknown as HostedDevice;
    for (const l of this.listeners) l(hosted, output);
  }

  reading(id: string, metric: string, value: number): void {
    this.emit(id, { type: 'reading', metric, value, time: this.clock.now() });
  }

  event(id: string, name: string, severity: 'info' | 'alert' | 'fault', value = 1, detail = ''): void {
    this.emit(id, { type: 'event', name, severity, value, time: this.clock.now(), detail });
  }

  devices() {
    return this.list.map((d) => ({ ...d, state: { ...d.state } }));
  }
  stats() {
    return { ...this.counters };
  }
  failedDevices() {
    return this.failed;
  }
  nodeStats() {
    return this.nodes;
  }
  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }
}

function uplinkStats(over: Partial<UplinkStats> = {}): UplinkStats {
  return {
    state: 'online', protocolVersion: 5, pending: 0, inflight: 0, queuedBytes: 0, oldest: undefined, sent: 0, bytesSent: 0,
    reconnects: 0, drops: noDrops(), lastError: '', nextRetryInMs: 0, certificateValidTo: undefined, ...over,
  };
}

function setup(options: { maxAlerts?: number; maxPoints?: number; synced?: boolean } = {}) {
  const clock = new VirtualClock({ startWall: START, synced: options.synced ?? true });
  const gateway = new FakeGateway(clock);
  let up = uplinkStats();
  const model = new StatusModel({
    gateway, uplink: () => up, durable: true, site: 'test-street', gatewayId: 'gw-test', version: '9.9.9', epoch: 3, clock,
    ...(options.maxAlerts !== undefined ? { maxAlerts: options.maxAlerts } : {}),
    ...(options.maxPoints !== undefined ? { maxPoints: options.maxPoints } : {}),
  });
  return { clock, gateway, model, setUplink: (s: Partial<UplinkStats>) => { up = uplinkStats(s); } };
}

test('a snapshot names the gateway and carries devices, uplink, spool, drops and counters', () => {
  const { clock, gateway, model, setUplink } = setup();
  gateway.add('lamp-01', 'lamp', { level: 0.3, mode: 'base', faults: 'none' });
  gateway.add('node-01', 'bin', { fill: 40 });
  gateway.nodes = [{ id: 'node-01', link: 'silent' } as { id: string } & SerialNodeStats];
  gateway.failed = [{ id: 'lamp-gpio', error: 'GPIO is not accessible' }];
  model.start();
  clock.advance(10_000);
  gateway.reading('lamp-01', 'level', 0.3);
  clock.advance(2_500);
  const drops = { ...noDrops(), 'telemetry-full': 4 };
  setUplink({ state: 'backoff', pending: 5, inflight: 2, queuedBytes: 2048, oldest: clock.wallTime() - 90_000, sent: 11, bytesSent: 999, reconnects: 2, drops, lastError: 'ECONNREFUSED' });
  const s = model.snapshot();
  assert.equal([s.site, s.gateway, s.version, s.epoch], ['test-street', 'gw-test', '9.9.9', 3]);
  assert.is(s.startedAt, START);
  assert.is(s.uptimeS, 13);
  assert.equal(s.clock, { wall: START + 12_500, synced: true });
  assert.equal(s.devices[0], { id: 'lamp-01', kind: 'lamp', state: { level: 0.3, mode: 'base', faults: 'none' }, faults: [], lastSeenAgeS: 2.5 });
  assert.equal(s.devices[1], { id: 'node-01', kind: 'bin', state: { fill: 40 }, faults: [], lastSeenAgeS: null, link: 'silent' });
  assert.equal(s.failedDevices, [{ id: 'lamp-gpio', error: 'GPIO is not accessible' }]);
  assert.equal(s.uplink, { state: 'backoff', reconnects: 2, sent: 11, bytesSent: 999, lastError: 'ECONNREFUSED' });
  assert.equal(s.spool, { durable: true, pending: 7, bytes: 2048, oldestAgeS: 90 }, 'waiting = pending + in flight');
  assert.equal(s.drops, drops);
  assert.equal(s.counters, { readings: 7, events: 3, alerts: 1, batches: 2, batchBytes: 300, values: 100, invalidReadings: 1 });
  assert.ok(JSON.stringify(s).length > 0, 'a snapshot is plain JSON');
});

test('the oldest waiting batch has no age while the clock is not trusted, or when it was stored before', () => {
  const { clock, model, setUplink } = setup({ synced: false });
  model.start();
  setUplink({ pending: 1, oldest: 0 });
  assert.is(model.snapshot().spool.oldestAgeS, null);
  clock.setWall(START, true);
  assert.is(model.snapshot().spool.oldestAgeS, null, 'stored with no age (0) before the clock was trusted');
  setUplink({});
  assert.is(model.snapshot().spool.oldestAgeS, null, 'nothing waits');
});

test('alerts and faults are kept, info events are not, oldest first and at most maxAlerts', () => {
  const { clock, gateway, model } = setup({ maxAlerts: 3 });
  gateway.add('bin-01', 'bin');
  model.start();
  gateway.event('bin-01', 'emptied', 'info');
  for (let i = 1; i <= 5; i++) {
    clock.advance(1000);
    gateway.event('bin-01', i % 2 ? 'full' : 'sensor-range', i % 2 ? 'alert' : 'fault', i, `number ${i}`);
  }
  const alerts = model.snapshot().alerts;
  assert.equal(alerts.map((a) => [a.name, a.value, a.severity]), [['full', 3, 'alert'], ['sensor-range', 4, 'fault'], ['full', 5, 'alert']]);
  assert.equal(alerts.map((a) => a.time), [START + 3000, START + 4000, START + 5000]);
  assert.is(alerts[0]!.detail, 'number 3');
});

test('alert times seen before NTP set the clock are shown at the corrected time', () => {
  const { clock, gateway, model } = setup({ synced: false });
  clock.setWall(0, false); // a Pi without RTC boots in 1970
  gateway.add('bin-01', 'bin');
  model.start();
  clock.advance(60_000);
  gateway.event('bin-01', 'fire', 'alert', 80);
  clock.advance(60_000);
  clock.setWall(START, true);
  const s = model.snapshot();
  assert.is(s.alerts[0]!.time, START - 60_000);
  assert.is(s.startedAt, START - 120_000);
});

test('a fault stays open until its recovery, and a controller fault follows the controller', () => {
  const { gateway, model } = setup();
  const lamp = gateway.add('lamp-01', 'lamp', { faults: 'none' });
  const bin = gateway.add('bin-01', 'bin', { faults: 'none' });
  gateway.add('node-01', 'parking', {});
  model.start();
  const faults = () => Object.fromEntries(model.snapshot().devices.map((d) => [d.id, d.faults]));

  gateway.event('lamp-01', 'pir-stuck-high', 'fault');
  lamp.state.faults = 'pir-stuck-high';
  gateway.event('node-01', 'link-down', 'fault');
  gateway.event('node-01', 'uncaught', 'fault');
  assert.equal(faults(), { 'lamp-01': ['pir-stuck-high'], 'bin-01': [], 'node-01': ['link-down', 'uncaught'] });

  gateway.event('lamp-01', 'pir-recovered', 'info');
  lamp.state.faults = 'none';
  gateway.event('node-01', 'link-up', 'info');
  assert.equal(faults(), { 'lamp-01': [], 'bin-01': [], 'node-01': ['uncaught'] });

  gateway.event('bin-01', 'sensor-range', 'fault');
  bin.state.faults = 'sensor-range';
  assert.equal(faults()['bin-01'], ['sensor-range']);
  bin.state.faults = 'none'; // the next good measurement: no event says so
  assert.equal(faults()['bin-01'], []);

  assert.equal(model.deviceHealth(), { running: 3, failed: 0, faults: [{ id: 'node-01', faults: ['uncaught'] }] }, 'the health message says the same');
  gateway.failed.push({ id: 'lamp-02', error: 'no pin' });
  assert.equal(model.deviceHealth(), deviceHealthFrom(model.snapshot()));
  assert.is(model.deviceHealth().failed, 1);

  gateway.event('node-01', 'node-restarted', 'info');
  assert.equal(faults()['node-01'], [], 'a restarted node starts with no open faults');
  gateway.event('node-01', 'hello-refused', 'fault');
  gateway.event('node-01', 'hello-refused-cleared', 'info');
  assert.equal(faults()['node-01'], []);
});

test('plots keep the chosen metric per kind, a point per change, at most maxPoints, in wall time', () => {
  const { clock, gateway, model } = setup({ maxPoints: 4 });
  gateway.add('lamp-01', 'lamp');
  gateway.add('park-01', 'parking');
  model.start();
  for (const v of [0.3, 0.3, 1, 1, 0.3, 1, 0.3]) {
    clock.advance(1000);
    gateway.reading('lamp-01', 'level', v);
    gateway.reading('lamp-01', 'motion', 1); // not plotted
  }
  gateway.reading('park-01', 'occupied', 1);
  gateway.reading('park-01', 'field', 55); // not plotted
  const series = model.snapshot().series;
  assert.equal(series.map((s) => [s.device, s.metric]), [['lamp-01', 'level'], ['park-01', 'occupied']]);
  assert.equal(series[0]!.values, [1, 0.3, 1, 0.3], 'the last 4 changes');
  assert.equal(series[0]!.times, [START + 3000, START + 5000, START + 6000, START + 7000]);
  assert.equal(series[1]!.values, [1]);
});

test('listeners hear of new outputs at most every 500 ms, never inside an emit, and every 5 s anyway', () => {
  const { clock, gateway, model } = setup();
  gateway.add('lamp-01', 'lamp');
  model.start();
  let calls = 0;
  const off = model.onChange(() => calls++);
  for (let i = 0; i < 10; i++) gateway.reading('lamp-01', 'level', i / 10);
  assert.is(calls, 0, 'not called synchronously');
  clock.runDue();
  assert.is(calls, 1, 'one call for the burst');
  clock.advance(100);
  gateway.reading('lamp-01', 'level', 1);
  clock.advance(300);
  assert.is(calls, 1, 'held back until 500 ms after the last call');
  clock.advance(100);
  assert.is(calls, 2);
  clock.advance(5_000);
  assert.is(calls, 3, 'the refresh, with nothing new');
  off();
  gateway.reading('lamp-01', 'level', 0.5);
  clock.advance(10_000);
  assert.is(calls, 3, 'unsubscribed');
  model.onChange(() => calls++);
  model.stop();
  gateway.reading('lamp-01', 'level', 0.7);
  clock.advance(10_000);
  assert.is(calls, 3, 'stopped: no timers, outputs ignored');
  assert.is(clock.pending(), 0);
});

test('over the real gateway on a small street: devices, failed devices and a lamp level plot', () => {
  const loaded = loadSite(path.join(ROOT, 'hil-tests', 'gateway', 'small-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const { log } = memoryLogger();
  const rig = buildRig({ site: loaded.value, seed: 1, startWall: START, sink: { send: () => true }, epoch: 1, log, intensity: 0 });
  const model = new StatusModel({
    gateway: rig.gateway, uplink: () => uplinkStats(), durable: false, site: loaded.value.site, gatewayId: loaded.value.gateway,
    version: 'test', epoch: 1, clock: rig.clock,
  });
  model.start();
  rig.street.start();
  rig.gateway.start();
  rig.clock.advance(60_000);
  const s = model.snapshot();
  assert.equal(s.devices.map((d) => d.id), ['lamp-01', 'park-01', 'bin-01']);
  assert.equal(s.failedDevices.map((f) => f.id), ['lamp-gpio']);
  assert.is(s.spool.durable, false);
  const lamp = s.devices.find((d) => d.id === 'lamp-01')!;
  assert.is(lamp.state.mode, 'base', 'night at 23:00 in Amsterdam');
  assert.ok(lamp.lastSeenAgeS !== null);
  assert.ok(s.series.some((x) => x.device === 'lamp-01' && x.metric === 'level' && x.values.length > 0));
  model.stop();
  rig.street.stop();
  rig.gateway.stop();
});

test.run();
