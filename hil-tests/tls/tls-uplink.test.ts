/**
 * The uplink over TLS with per-gateway client certificates, against a real mosquitto (the Debian
 * package, started by mosquitto-rig.ts with its own config, ACL and certificates from `kerb ca`'s
 * lab CA): the right certificate logs in as its CN and its batches arrive; a certificate from
 * another CA or an expired one is refused and the gateway says why; a broker the gateway cannot
 * verify is refused by the gateway; a publish outside the gateway's prefix is denied (MQTT 5
 * PUBACK 0x87), logged and counted; a key others can read never gets as far as connecting.
 * Real clock and real sockets: every wait polls a condition.
 */
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { GatewayService } from '../../gateway/service/gateway-service.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { MAX_INCOMING_PACKET, MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { SecretFileError } from '../../gateway/state/secret-file.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { loadTls, type TlsFiles } from '../../gateway/uplink/tls-options.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { initCa, issueClient, issueServer } from '../../scripts/tls/lab-ca.js';
import { mosquittoAcl } from '../../scripts/tls/mosquitto-acl.js';
import { ROOT } from '../cli/run-kerb.js';
import { deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { settle } from '../harness/run-clock.js';
import { tempDir } from '../harness/temp-dir.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';
import { MOSQUITTO_MISSING, mosquittoBinary, startMosquitto, type MosquittoRig } from './mosquitto-rig.js';

const available = mosquittoBinary() !== undefined;
const test = suite(available ? 'TLS uplink on mosquitto' : `TLS uplink on mosquitto skipped: ${MOSQUITTO_MISSING}`);
const it = available ? test : test.skip;

const A = topicsFor('site-a', 'gw-a');
const B = topicsFor('site-a', 'gw-b');

interface Lab {
  dir: string;
  ca: string;
  other: string;
  rig: MosquittoRig;
}
let lab: Lab;

/** The files of client `name` issued by the CA in `caDir`. */
function client(caDir: string, name: string, ca = path.join(caDir, 'ca.crt')): TlsFiles {
  return { ca, cert: path.join(caDir, `${name}.crt`), key: path.join(caDir, `${name}.key`) };
}

test.before(async () => {
  if (!available) return;
  const dir = tempDir('kerb-tls-');
  const ca = path.join(dir, 'ca');
  const other = path.join(dir, 'other-ca');
  initCa({ dir: ca });
  initCa({ dir: other });
  issueServer({ dir: ca, hosts: ['localhost', '127.0.0.1'] });
  for (const name of ['gw-a', 'monitor', 'operator']) issueClient({ dir: ca, cn: name });
  issueClient({ dir: ca, cn: 'gw-a', out: path.join(ca, 'gw-a-expired'), notBefore: Date.parse('2020-01-01T00:00:00Z'), days: 1 });
  issueClient({ dir: other, cn: 'gw-a' }); // right name, wrong CA
  const acl = mosquittoAcl({ gateways: [{ site: 'site-a', gateway: 'gw-a' }, { site: 'site-a', gateway: 'gw-b' }], monitors: ['monitor'], operators: ['operator'] });
  const rig = await startMosquitto({ dir, ca: path.join(ca, 'ca.crt'), cert: path.join(ca, 'server.crt'), key: path.join(ca, 'server.key'), acl });
  lab = { dir, ca, other, rig };
});

test.after(async () => {
  await lab?.rig.stop();
});

/** Uplinks and clients a test made, closed after it whether it passed or not. */
const opened: Array<() => unknown> = [];
test.after.each(async () => {
  for (const close of opened.splice(0)) await close();
});

function uplink(files: TlsFiles, url = lab.rig.url) {
  const { log, records } = memoryLogger();
  const up = new MqttUplink({
    url, clientId: `test-${Math.random().toString(16).slice(2)}`, clock: new SystemClock(), log, queue: new Outbox(),
    statusTopic: A.status, onlineStatus: () => Buffer.from('{"state":"online"}'), offlineStatus: () => Buffer.from('{"state":"offline"}'),
    backoffBaseMs: 50, backoffCapMs: 200, connectTimeoutMs: 3_000, tls: loadTls(files),
  });
  opened.push(() => up.stop());
  return { up, records };
}

/** A second client with its own certificate, e.g. the 'monitor' that may read kerb/#. */
async function watcher(name: string, filter: string): Promise<{ got: Array<[string, string]>; raw: Array<[string, Buffer]>; client: mqtt.MqttClient }> {
  const files = client(lab.ca, name);
  const got: Array<[string, string]> = [];
  const raw: Array<[string, Buffer]> = [];
  const c = mqtt.connect(lab.rig.url, {
    protocolVersion: 5, reconnectPeriod: 0, ca: fs.readFileSync(files.ca!), cert: fs.readFileSync(files.cert!), key: fs.readFileSync(files.key!),
  });
  c.on('message', (t, p) => {
    got.push([t, p.toString()]);
    raw.push([t, p]);
  });
  opened.push(() => c.end(true));
  await new Promise<void>((resolve, reject) => {
    c.once('error', reject);
    c.once('connect', () => c.subscribe(filter, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  });
  return { got, raw, client: c };
}

it('with its own certificate the gateway logs in as its CN over MQTT 5, and its batches reach a monitor', async () => {
  const monitor = await watcher('monitor', 'kerb/#');
  const { log, records } = memoryLogger();
  const up = siteUplink({
    url: lab.rig.url, site: 'site-a', gateway: 'gw-a', epoch: 1, version: 'test', log, queue: new Outbox(), tls: loadTls(client(lab.ca, 'gw-a')),
  });
  opened.push(() => up.stop());
  up.start();
  for (let i = 0; i < 5; i++) up.send(A.batch, Buffer.from(`b${i}`), 'telemetry');
  await waitFor(() => monitor.got.filter(([t]) => t === A.batch).length === 5, 'five batches at the monitor');
  assert.equal(monitor.got.filter(([t]) => t === A.batch).map(([, p]) => p), ['b0', 'b1', 'b2', 'b3', 'b4']);
  await waitFor(() => monitor.got.some(([t]) => t === A.status), 'the retained status');
  assert.is(up.stats().protocolVersion, 5);
  assert.is(up.stats().state, 'online');
  assert.ok(records.some((r) => r.event === 'uplink.tls' && r.identity === 'gw-a'), 'the log names the identity');
  assert.match(lab.rig.output(), /as kerb-gw-a \(p5, [^)]*u'gw-a'\)/, "mosquitto took the certificate's CN as the username");
});

/** `kerb gateway --tls-*` as a GatewayService: one mock lamp, batches every minute of virtual time. */
function tlsService(files: TlsFiles) {
  const dir = tempDir('kerb-tls-service-');
  const siteFile = path.join(dir, 'site.yaml');
  fs.writeFileSync(siteFile, [
    'version: 1', 'site: site-a', 'gateway: gw-a', 'location: { latitude: 52.3676, longitude: 4.9041 }', 'devices:',
    '  - id: lamp-01', '    profile: lamp-pir-pwm', '    transport: { type: mock }',
  ].join('\n') + '\n');
  const profilesDir = path.join(ROOT, 'device-profiles');
  const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 21, 10) });
  const hal = new MockHal(clock);
  const { log, records } = memoryLogger();
  const service = new GatewayService({
    siteFile, profilesDir, dataDir: path.join(dir, 'data'), brokerUrl: lab.rig.url, version: 'test', clock, log,
    backends: () => ({ halFor: (d) => deviceBoard(hal, d.id), close: () => undefined }),
    tls: loadTls(files),
  }, GatewayService.loadSite(siteFile, profilesDir));
  service.start();
  opened.push(() => service.stop(0));
  /** Runs the lamp's minute windows so batches are made. */
  const runWindows = async (): Promise<void> => {
    for (let t = 0; t < 150_000; t += 10_000) {
      clock.advance(10_000);
      await settle();
    }
  };
  return { service, records, runWindows };
}

it('the gateway service (kerb gateway --tls-*) sends its batches over TLS as its certificate\'s identity', async () => {
  const monitor = await watcher('monitor', 'kerb/#');
  const { service, runWindows } = tlsService(client(lab.ca, 'gw-a'));
  await waitFor(() => service.uplink.stats().state === 'online', 'the service online over TLS');
  await runWindows();
  await waitFor(() => monitor.got.some(([t]) => t === A.batch), 'a batch from the service');
  const batch = decodeBatch(monitor.raw.find(([t]) => t === A.batch)![1]);
  assert.is(batch.gateway, 'gw-a');
});

it('a gateway refused for an expired certificate is back on SIGHUP once the renewed one is in place; a half-copied renewal changes nothing', async () => {
  const monitor = await watcher('monitor', 'kerb/#');
  const tlsDir = tempDir('kerb-tls-renew-');
  const files = { ca: path.join(lab.ca, 'ca.crt'), cert: path.join(tlsDir, 'gw-a.crt'), key: path.join(tlsDir, 'gw-a.key') };
  const install = (from: string, what: Array<'crt' | 'key'>): void => {
    for (const ext of what) {
      const to = path.join(tlsDir, `gw-a.${ext}`);
      fs.copyFileSync(`${from}.${ext}`, `${to}.new`);
      fs.chmodSync(`${to}.new`, 0o600);
      fs.renameSync(`${to}.new`, to);
    }
  };
  install(path.join(lab.ca, 'gw-a-expired'), ['crt', 'key']);
  const { service, records, runWindows } = tlsService(files);
  await waitFor(() => records.some((r) => r.event === 'uplink.connect-refused' && r.kind === 'client-expired'), 'the broker refusing the expired certificate');
  await runWindows(); // batches wait in the spool meanwhile

  issueClient({ dir: lab.ca, cn: 'gw-a', out: path.join(tlsDir, 'renewed') });
  install(path.join(tlsDir, 'renewed'), ['crt']); // the key not yet copied
  const half = service.reload();
  assert.is(half.tls, 'refused');
  assert.match(String(records.find((r) => r.event === 'service.tls-reload-refused')!.reason), /does not belong to the certificate/);
  assert.is.not(service.uplink.stats().state, 'online', 'still the old, expired material');

  install(path.join(tlsDir, 'renewed'), ['key']);
  const whole = service.reload();
  assert.is(whole.ok, true, 'the site file reloads as before');
  assert.is(whole.tls, 'renewed');
  await waitFor(() => service.uplink.stats().state === 'online', 'online with the renewed certificate');
  await waitFor(() => monitor.got.some(([t]) => t === A.batch), 'the batches that waited');
  assert.ok(service.uplink.stats().certificateValidTo! > Date.now(), 'the status carries the new end date');
  assert.is(service.reload().tls, 'unchanged', 'the same files again change nothing');
});

it('a publish outside the gateway\'s prefix is denied (PUBACK 0x87), logged, counted, and not retried for ever', async () => {
  const monitor = await watcher('monitor', 'kerb/#');
  const { up, records } = uplink(client(lab.ca, 'gw-a'));
  up.start();
  up.send(B.batch, Buffer.from('forged'), 'telemetry');
  up.send(A.batch, Buffer.from('own'), 'telemetry');
  await waitFor(() => up.stats().drops.refused === 1, 'the denied message to be set aside');
  await waitFor(() => up.stats().pending + up.stats().inflight === 0, 'the queue to empty');
  const denied = records.filter((r) => r.event === 'uplink.publish-denied');
  assert.is(denied.length, 3, 'tried three times, then set aside');
  assert.is(denied[0]!.topic, B.batch);
  assert.is(denied[0]!.reason, 'Not authorized (0x87)');
  assert.ok(records.some((r) => r.event === 'uplink.message-refused' && r.topic === B.batch));
  assert.match(up.stats().lastError, /refused a publish on kerb\/v1\/site-a\/gw-b\/batch: Not authorized \(0x87\)/);
  await waitFor(() => monitor.got.some(([t, p]) => t === A.batch && p === 'own'), 'the own batch at the monitor');
  assert.not.ok(monitor.got.some(([t]) => t === B.batch), 'nothing reached the other gateway\'s topic');
});

it('the gateway receives its own commands and never another gateway\'s (the ACL filters what it may read)', async () => {
  const got: string[] = [];
  const { log, records } = memoryLogger();
  const up = siteUplink({
    url: lab.rig.url, site: 'site-a', gateway: 'gw-a', epoch: 1, version: 'test', log, queue: new Outbox(), tls: loadTls(client(lab.ca, 'gw-a')),
    subscriptions: [
      { topic: A.cmd('+'), onMessage: (t, p) => got.push(`${t} ${p.toString()}`) },
      { topic: B.cmd('+'), onMessage: (t, p) => got.push(`${t} ${p.toString()}`) },
    ],
  });
  opened.push(() => up.stop());
  up.start();
  await waitFor(() => records.some((r) => r.event === 'uplink.subscribed' || r.event === 'uplink.subscribe-denied') && up.stats().state === 'online', 'the subscriptions');
  const operator = await watcher('operator', A.cmdResult);
  operator.client.publish(B.cmd('lamp-9'), 'not for gw-a', { qos: 1 });
  operator.client.publish(A.cmd('lamp-1'), 'for gw-a', { qos: 1 });
  await waitFor(() => got.some((g) => g.endsWith('for gw-a')), 'its own command');
  assert.equal(got, [`${A.cmd('lamp-1')} for gw-a`], "another gateway's command never arrives");
});

it('a command larger than the gateway takes is dropped by the broker (MQTT 5 Maximum Packet Size); the link stays up', async () => {
  const got: number[] = [];
  const { log, records } = memoryLogger();
  const up = siteUplink({
    url: lab.rig.url, site: 'site-a', gateway: 'gw-a', epoch: 1, version: 'test', log, queue: new Outbox(), tls: loadTls(client(lab.ca, 'gw-a')),
    subscriptions: [{ topic: A.cmd('+'), onMessage: (_t, p) => got.push(p.length) }],
  });
  opened.push(() => up.stop());
  up.start();
  await waitFor(() => records.some((r) => r.event === 'uplink.subscribed') && up.stats().state === 'online', 'the subscription');
  const operator = await watcher('operator', A.cmdResult);
  operator.client.publish(A.cmd('lamp-1'), Buffer.alloc(MAX_INCOMING_PACKET * 3, 0x61), { qos: 1 });
  operator.client.publish(A.cmd('lamp-1'), Buffer.from('small'), { qos: 1 });
  await waitFor(() => got.length > 0, 'the small command');
  assert.equal(got, [5], 'only the small one arrives');
  assert.is(up.stats().state, 'online');
  assert.is(up.stats().reconnects, 0, 'the broker dropped it rather than sending it');
  assert.not.ok(records.some((r) => r.event === 'uplink.packet-too-large'));
});

it('a certificate from another CA is refused by the broker, and the gateway says so', async () => {
  const { up, records } = uplink(client(lab.other, 'gw-a', path.join(lab.ca, 'ca.crt')));
  up.start();
  await waitFor(() => records.some((r) => r.event === 'uplink.connect-refused'), 'the refusal');
  const refused = records.find((r) => r.event === 'uplink.connect-refused')!;
  assert.is(refused.kind, 'client-refused');
  assert.match(String(refused.error), /refused this gateway's certificate \(CN=gw-a, issued by Kerb lab CA \(other-ca\)/);
  assert.match(up.stats().lastError, /does not trust the CA that issued it/);
  assert.match(up.stats().lastError, /kerb ca issue --gateway gw-a/, 'and what to do');
  assert.is.not(up.stats().state, 'online');
});

it('an expired certificate is refused by the broker, and the gateway says it expired', async () => {
  const { up, records } = uplink(client(lab.ca, 'gw-a-expired'));
  up.start();
  assert.ok(records.some((r) => r.event === 'uplink.certificate-expired'), 'noticed at start');
  await waitFor(() => records.some((r) => r.event === 'uplink.connect-refused'), 'the refusal');
  const refused = records.find((r) => r.event === 'uplink.connect-refused')!;
  assert.is(refused.kind, 'client-expired');
  assert.match(up.stats().lastError, /refused this gateway's certificate .* as expired .*: it expired on 2020-01-02T00:00:00Z/);
  assert.is.not(up.stats().state, 'online');
});

it('a broker whose certificate is not from the gateway\'s CA is refused by the gateway', async () => {
  const files = { ...client(lab.ca, 'gw-a'), ca: path.join(lab.other, 'ca.crt') };
  const { up, records } = uplink(files);
  up.start();
  await waitFor(() => records.some((r) => r.event === 'uplink.connect-refused'), 'the refusal');
  const refused = records.find((r) => r.event === 'uplink.connect-refused')!;
  assert.is(refused.kind, 'server-untrusted');
  assert.match(up.stats().lastError, /presented a certificate not signed by the CA in .*other-ca\/ca\.crt/);
});

it('a broker whose certificate names another host is refused by the gateway', async () => {
  const dir = tempDir('kerb-tls-name-');
  issueServer({ dir: lab.ca, hosts: ['elsewhere.example'], out: path.join(dir, 'elsewhere') });
  const rig = await startMosquitto({ dir, ca: path.join(lab.ca, 'ca.crt'), cert: path.join(dir, 'elsewhere.crt'), key: path.join(dir, 'elsewhere.key'), acl: '' });
  try {
    const { up, records } = uplink(client(lab.ca, 'gw-a'), rig.url);
    up.start();
    await waitFor(() => records.some((r) => r.event === 'uplink.connect-refused'), 'the refusal');
    assert.is(records.find((r) => r.event === 'uplink.connect-refused')!.kind, 'server-name');
    assert.match(up.stats().lastError, /certificate does not name 127\.0\.0\.1:\d+/);
  } finally {
    await rig.stop();
  }
});

it('a client key that others can read is refused before anything connects', () => {
  const files = client(lab.ca, 'gw-a');
  const open = path.join(lab.dir, 'gw-a-open.key');
  fs.copyFileSync(files.key!, open);
  fs.chmodSync(open, 0o644);
  const before = lab.rig.output().split('New connection').length;
  try {
    loadTls({ ...files, key: open });
    assert.unreachable('a 0644 key was accepted');
  } catch (err) {
    assert.instance(err, SecretFileError);
    assert.is((err as SecretFileError).code, 'E_SECRET_PERMISSIONS');
    assert.match((err as Error).message, new RegExp(`${open}.*mode 0644.*chmod 600 ${open}`));
  }
  assert.is(lab.rig.output().split('New connection').length, before, 'no connection was attempted');
});

test.run();
