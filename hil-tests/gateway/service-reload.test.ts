/**
 * The gateway service's SIGHUP reload (issue 8): a valid new site file adds and removes devices
 * on the same uplink and spool without losing or renumbering anything; an invalid one (or another
 * gateway id) changes nothing and the log says exactly why.
 */
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { GatewayService } from '../../gateway/service/gateway-service.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { ROOT } from '../cli/run-kerb.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { settle } from '../harness/run-clock.js';
import { tempDir } from '../harness/temp-dir.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';

const PROFILES = path.join(ROOT, 'device-profiles');
const NIGHT = Date.UTC(2026, 5, 21, 21, 10);

function siteYaml(devices: string[], gateway = 'gw-reload'): string {
  const kinds: Record<string, string> = { lamp: 'lamp-pir-pwm', park: 'parking-magnetometer', bin: 'bin-ultrasonic' };
  return [
    'version: 1', 'site: reload-street', `gateway: ${gateway}`, 'location: { latitude: 52.3676, longitude: 4.9041 }', 'devices:',
    ...devices.map((id) => `  - id: ${id}\n    profile: ${kinds[id.split('-')[0]!]}\n    transport: { type: mock }`),
  ].join('\n') + '\n';
}

async function bench(devices: string[]) {
  const dir = tempDir('kerb-reload');
  const siteFile = path.join(dir, 'site.yaml');
  fs.writeFileSync(siteFile, siteYaml(devices));
  const broker = await startEmbeddedBroker();
  const clock = new VirtualClock({ startWall: NIGHT });
  const hal = new MockHal(clock);
  hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
  hal.setAnalog(boardPin('park-02', 'A1'), (45 + 200) / 400);
  const { log, records } = memoryLogger();
  const service = new GatewayService({
    siteFile, profilesDir: PROFILES, dataDir: path.join(dir, 'data'), brokerUrl: broker.url, version: 'test', clock, log,
    backends: () => ({ halFor: (d) => deviceBoard(hal, d.id), close: () => undefined }),
  }, GatewayService.loadSite(siteFile, PROFILES));
  const topics = topicsFor('reload-street', 'gw-reload');
  const batches: DecodedBatch[] = [];
  const sub = mqtt.connect(broker.url, { protocolVersion: 4 });
  sub.on('message', (topic, payload) => {
    if (topic === topics.batch || topic === topics.alert) batches.push(decodeBatch(payload));
  });
  await new Promise<void>((resolve, reject) => sub.once('connect', () => sub.subscribe(`${topics.prefix}/#`, { qos: 1 }, (e) => (e ? reject(e) : resolve()))));
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 10_000) {
      clock.advance(10_000);
      await settle();
    }
  };
  const close = async (): Promise<void> => {
    sub.end(true);
    await broker.close();
  };
  return { siteFile, service, clock, hal, records, batches, run, close };
}

test('a reload adds and removes devices; nothing accepted is lost and seq goes on counting', async () => {
  const b = await bench(['lamp-01', 'park-01']);
  b.service.start();
  await b.run(150_000);
  fs.writeFileSync(b.siteFile, siteYaml(['lamp-01', 'park-02', 'bin-01']));
  const replaced = b.service.gateway;
  const result = b.service.reload();
  assert.equal(result, { ok: true, added: ['park-02', 'bin-01'], removed: ['park-01'], kept: ['lamp-01'], tls: 'none' });
  // The counters behind /metrics and the status page count on; they do not start again at 0.
  const was = replaced.stats();
  const now = b.service.stats();
  assert.ok(was.batches > 0 && was.readings > 0, JSON.stringify(was));
  for (const key of ['batches', 'batchBytes', 'values', 'events', 'alerts', 'refused', 'droppedForClock'] as const) assert.is(now[key], was[key], key);
  assert.ok(now.readings >= was.readings, `readings ${now.readings} >= ${was.readings}`);
  assert.equal(b.service.gateway.devices().map((d) => d.id).sort(), ['bin-01', 'lamp-01', 'park-02']);
  await b.run(150_000);
  const stopped = await b.service.stop(5_000);
  assert.ok(stopped.drained, 'everything was acknowledged');
  const made = b.service.gateway.stats().seq;
  await waitFor(() => b.batches.length >= made, `${made} batches at the subscriber`);
  const seqs = b.batches.map((x) => x.seq).sort((x, y) => x - y);
  assert.equal(seqs, Array.from({ length: made }, (_, i) => i + 1), 'one seq per batch, none repeated, none missing');
  const devicesSeen = new Set(b.batches.flatMap((x) => x.series.map((s) => s.device)));
  for (const id of ['lamp-01', 'park-01', 'park-02', 'bin-01']) assert.ok(devicesSeen.has(id), `${id} reported`);
  // park-01's last window, open when it was removed, went out with the reload.
  const lastPark01 = Math.max(...b.batches.flatMap((x) => x.series.filter((s) => s.device === 'park-01').map((s) => s.start + s.durationMs)));
  assert.ok(lastPark01 >= NIGHT + 150_000 - 1, `park-01 reported up to ${new Date(lastPark01).toISOString()}`);
  assert.ok(b.records.some((r) => r.event === 'service.reloaded'));
  await b.close();
});

test('an invalid site file on reload changes nothing and says where and why', async () => {
  const b = await bench(['lamp-01', 'park-01']);
  b.service.start();
  await b.run(20_000);
  fs.writeFileSync(b.siteFile, siteYaml(['lamp-01']).replace('profile: lamp-pir-pwm', 'profile: lamp-pir-pmw'));
  const result = b.service.reload();
  assert.is(result.ok, false);
  const refused = b.records.find((r) => r.event === 'service.reload-refused');
  assert.ok(refused, 'logged');
  assert.match(String(refused!.reason), /site\.yaml/);
  assert.match(String(refused!.reason), /lamp-pir-pmw/);
  assert.equal(b.service.gateway.devices().map((d) => d.id).sort(), ['lamp-01', 'park-01'], 'still running the old devices');
  fs.writeFileSync(b.siteFile, siteYaml(['lamp-01'], 'gw-other'));
  const other = b.service.reload();
  assert.is(other.ok, false);
  assert.match(other.ok ? '' : other.reason, /another data directory and spool; restart/);
  await b.service.stop(2_000);
  await b.close();
});

test('reloading with the broker unreachable keeps every waiting batch in the spool', async () => {
  const dir = tempDir('kerb-reload-offline');
  const siteFile = path.join(dir, 'site.yaml');
  fs.writeFileSync(siteFile, siteYaml(['lamp-01', 'park-01']));
  const clock = new VirtualClock({ startWall: NIGHT });
  const hal = new MockHal(clock);
  hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
  const { log } = memoryLogger();
  const service = new GatewayService({
    siteFile, profilesDir: PROFILES, dataDir: path.join(dir, 'data'), brokerUrl: 'mqtt://127.0.0.1:1', version: 'test', clock, log,
    backends: () => ({ halFor: (d) => deviceBoard(hal, d.id), close: () => undefined }),
  }, GatewayService.loadSite(siteFile, PROFILES));
  service.start();
  for (let t = 0; t < 210_000; t += 10_000) { // reload in the middle of a window
    clock.advance(10_000);
    await settle();
  }
  const before = service.uplink.stats().pending;
  assert.ok(before >= 3, `${before} batches waiting`);
  fs.writeFileSync(siteFile, siteYaml(['lamp-01']));
  assert.is(service.reload().ok, true);
  assert.ok(service.uplink.stats().pending >= before + 1, 'the removed device\'s last window joined them');
  const { left } = await service.stop(100);
  assert.ok(left >= before + 1);
  assert.ok(service.durable, 'they wait in the spool on disk');
});

test.run();
