/**
 * `kerb ca` (scripts/tls/lab-ca.ts over the openssl command) and loading what it makes
 * (gateway/uplink/tls-options.ts): a client certificate whose CN is the gateway id and that is
 * for client authentication only, a server certificate with its names as SANs, keys written
 * 0600, and the checks a gateway makes before it connects: a key others can read, a key that
 * does not belong to its certificate, TLS files with a plain mqtt:// URL.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IClientOptions, MqttClient } from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { SecretFileError } from '../../gateway/state/secret-file.js';
import { loadTls } from '../../gateway/uplink/tls-options.js';
import { run as caCommand } from '../../scripts/commands/ca.js';
import { CliError } from '../../scripts/cli-error.js';
import { initCa, issueClient } from '../../scripts/tls/lab-ca.js';
import { CaError } from '../../scripts/tls/openssl.js';
import { tempDir } from '../harness/temp-dir.js';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** Runs `kerb ca ...` in this process, returning what it printed. */
async function kerbCa(argv: string[]): Promise<string> {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    await caCommand(argv);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

test('kerb ca init, issue and server make a CA, a gateway certificate (CN = id, client auth) and a broker certificate with SANs', async () => {
  const dir = path.join(tempDir('kerb-ca-'), 'lab');
  assert.match(await kerbCa(['init', '--dir', dir]), /CA {2}CN=Kerb lab CA \(lab\)/);
  const issued = JSON.parse(await kerbCa(['issue', '--dir', dir, '--gateway', 'gw-main', '--days', '30', '--json']));
  assert.is(issued.cert, path.join(dir, 'gw-main.crt'));
  await kerbCa(['server', '--dir', dir, '--host', 'broker.lab', '--host', '192.168.1.10']);
  for (const key of ['ca.key', 'gw-main.key', 'server.key']) assert.is(mode(path.join(dir, key)), 0o600, `${key} is 0600`);
  const ca = new X509Certificate(fs.readFileSync(path.join(dir, 'ca.crt')));
  const gw = new X509Certificate(fs.readFileSync(path.join(dir, 'gw-main.crt')));
  const server = new X509Certificate(fs.readFileSync(path.join(dir, 'server.crt')));
  assert.ok(ca.ca, 'the CA certificate is a CA');
  assert.is(gw.subject, 'CN=gw-main');
  assert.ok(gw.checkIssued(ca) && gw.verify(ca.publicKey), 'issued and signed by the CA');
  assert.not.ok(gw.ca);
  assert.equal(gw.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'for TLS client authentication only');
  const days = (Date.parse(gw.validTo) - Date.parse(gw.validFrom)) / 86_400_000;
  assert.is(days, 30);
  assert.is(server.subjectAltName, 'DNS:broker.lab, IP Address:192.168.1.10');
  assert.equal(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.ok(server.checkHost('broker.lab') && server.checkIP('192.168.1.10'));
  assert.match(fs.readFileSync(path.join(dir, 'index.txt'), 'utf8'), /CN=gw-main/, "openssl's record of what was issued");
});

test('kerb ca refuses to replace a CA or a certificate without --force, and names that are not gateway ids', async () => {
  const dir = tempDir('kerb-ca-');
  initCa({ dir });
  issueClient({ dir, cn: 'gw-a' });
  for (const [argv, pattern] of [
    [['init', '--dir', dir], /ca\.key and .*ca\.crt already exist; a new CA invalidates every certificate/],
    [['issue', '--dir', dir, '--gateway', 'gw-a'], /gw-a\.key and .*gw-a\.crt already exist; choose another --out, or pass --force/],
    [['issue', '--dir', dir, '--gateway', 'GW A'], /cannot be a gateway id or MQTT username/],
    [['issue', '--dir', path.join(dir, 'nothing'), '--gateway', 'gw-b'], /is not a kerb lab CA \(no ca\.crt\); make one with: kerb ca init/],
    [['server', '--dir', dir], /server needs --host NAME/],
    [['issue', '--dir', dir, '--gateway', 'gw-c', '--not-before', 'yesterday'], /--not-before must be a date/],
  ] as Array<[string[], RegExp]>) {
    try {
      await kerbCa(argv);
      assert.unreachable(`kerb ca ${argv.join(' ')} succeeded`);
    } catch (err) {
      assert.instance(err, CliError, argv.join(' '));
      assert.match((err as Error).message, pattern);
    }
  }
  assert.ok(issueClient({ dir, cn: 'gw-a', force: true }).cert.endsWith('gw-a.crt'), '--force replaces it');
});

test('without the openssl command kerb ca says how to install it', () => {
  try {
    initCa({ dir: tempDir('kerb-ca-'), openssl: 'kerb-test-no-such-openssl' });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, CaError);
    assert.is((err as CaError).code, 'E_NO_OPENSSL');
    assert.match((err as Error).message, /apt-get install openssl/);
  }
});

test('the gateway refuses a key others can read, a key of another certificate, and half a pair', () => {
  const dir = tempDir('kerb-ca-');
  initCa({ dir });
  issueClient({ dir, cn: 'gw-a' });
  issueClient({ dir, cn: 'gw-b' });
  const files = { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'gw-a.crt'), key: path.join(dir, 'gw-a.key') };
  const tls = loadTls(files);
  assert.is(tls.identity?.cn, 'gw-a');
  assert.is(tls.caSubject, 'Kerb lab CA (' + path.basename(dir) + ')');
  const refused = (f: Parameters<typeof loadTls>[0], code: string, pattern: RegExp): void => {
    try {
      loadTls(f);
      assert.unreachable(`accepted ${JSON.stringify(f)}`);
    } catch (err) {
      assert.instance(err, SecretFileError);
      assert.is((err as SecretFileError).code, code);
      assert.match((err as Error).message, pattern);
    }
  };
  fs.chmodSync(files.key, 0o640);
  refused(files, 'E_SECRET_PERMISSIONS', /gw-a\.key can be read or changed by group or others \(mode 0640\).*chmod 600/);
  fs.chmodSync(files.key, 0o600);
  refused({ ...files, key: path.join(dir, 'gw-b.key') }, 'E_SECRET_UNREADABLE', /gw-b\.key does not belong to the certificate .*gw-a\.crt \(CN=gw-a\)/);
  refused({ ...files, key: path.join(dir, 'none.key') }, 'E_SECRET_MISSING', /no TLS client key at .*none\.key; make one with `kerb ca issue/);
  refused({ ca: files.ca, cert: files.cert }, 'E_SECRET_MISSING', /needs its key/);
});

test('the uplink asks for TLS 1.2 or later and a verified broker, and refuses TLS files with mqtt://', async () => {
  const dir = tempDir('kerb-ca-');
  initCa({ dir });
  issueClient({ dir, cn: 'gw-a' });
  const tls = loadTls({ ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'gw-a.crt'), key: path.join(dir, 'gw-a.key') });
  const { log } = memoryLogger();
  let seen: IClientOptions | undefined;
  const options = {
    clientId: 'gw-a', clock: new SystemClock(), log, statusTopic: 's', queue: new Outbox(), tls,
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'),
    connect: (_url: string, o: IClientOptions) => {
      seen = o;
      return { on: () => {}, end: (_f: boolean, _o: unknown, cb?: () => void) => cb?.(), removeAllListeners: () => {} } as unknown as MqttClient;
    },
  };
  assert.throws(() => new MqttUplink({ ...options, url: 'mqtt://broker:1883' }), /not TLS: use mqtts:\/\//);
  const up = new MqttUplink({ ...options, url: 'mqtts://broker:8883' });
  up.start();
  const o = seen as IClientOptions & { minVersion?: string };
  assert.is(o.minVersion, 'TLSv1.2');
  assert.is(o.rejectUnauthorized, true);
  assert.is(o.protocolVersion, 5);
  assert.ok(Buffer.isBuffer(o.ca) && Buffer.isBuffer(o.cert) && Buffer.isBuffer(o.key));
  await up.stop();
});

test.run();
