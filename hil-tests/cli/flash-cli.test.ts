/**
 * The `kerb flash` command as a technician runs it: a signed bundle file, the trusted key, the
 * fake board behind a USB-serial adapter, the verdict line; refusals of unsigned and wrong-key
 * bundles before any port is opened; --dry-run; and `kerb provision` with its site-file entry.
 * The in-process runs capture exactly what the terminal shows (artifacts/flash-capture.txt).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run as runFlash } from '../../scripts/commands/flash.js';
import { FLASH_EXIT } from '../../scripts/flash/flash-error.js';
import { provision } from '../../scripts/flash/provision.js';
import { addToSite } from '../../scripts/flash/site-entry.js';
import { serializeBundle } from '../../scripts/sign/envelope.js';
import { generateSigningKey, readPrivateKey, writeKeyPair } from '../../scripts/sign/keys.js';
import { signBundle } from '../../scripts/sign/sign-bundle.js';
import { PROFILES_DIR } from '../../scripts/paths.js';
import { bench, driven, imageOf, lampBuild, type Bench } from '../flash/flash-rig.js';
import { tempDir } from '../harness/temp-dir.js';
import { kerb, ROOT } from './run-kerb.js';

const benches: Bench[] = [];
test.after.each(async () => {
  for (const b of benches.splice(0)) await b.dispose();
});

/** A release key (trusted) and a stranger's key, and bundles signed by each. */
function keysAndBundles(dir: string) {
  const release = writeKeyPair(path.join(dir, 'release'));
  const stranger = generateSigningKey();
  const image = imageOf(lampBuild('0.3.0'));
  const fields = { name: 'lamp-pir-pwm', kind: 'lamp' as const, fw: image.fw, profile: image.profile, deviceId: image.deviceId, baud: image.baud };
  const signed = path.join(dir, 'lamp-pir-pwm.kerb');
  fs.writeFileSync(signed, serializeBundle(signBundle(image.code, fields, readPrivateKey(release.privateFile))));
  const foreign = path.join(dir, 'foreign.kerb');
  fs.writeFileSync(foreign, serializeBundle(signBundle(image.code, fields, stranger.privateKey)));
  const plain = path.join(dir, 'plain.js');
  fs.writeFileSync(plain, image.code);
  return { release, signed, foreign, plain, image };
}

/** Runs `kerb flash` in this process against the bench, capturing what the terminal shows. */
async function flashCommand(b: Bench, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await driven(b.clock, runFlash(argv, { opener: b.opener, clock: b.clock }));
    return { code, out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

test('kerb flash with a signed bundle on a bare board: progress, then a one-line verdict (captured)', async () => {
  const dir = tempDir('kerb-flash-cli');
  const trustDir = tempDir('kerb-trust-empty');
  const previous = process.env.KERB_TRUST_DIR;
  process.env.KERB_TRUST_DIR = trustDir;
  try {
    const k = keysAndBundles(dir);
    const b = await bench();
    benches.push(b);
    const argv = ['--bundle', k.signed, '--port', b.board.path, '--trust', k.release.publicFile, '--device-id', 'lamp-07', '--keys-dir', path.join(dir, 'keys')];
    const r = await flashCommand(b, argv);
    assert.is(r.code, 0, r.out + r.err);
    assert.match(r.out, /^OK lamp-07 runs lamp-pir-pwm 0\.3\.0 \(lamp, boot 1, mode run\) on \/dev\/ttyUSB-flash\d+: \d+ bytes, CRC [0-9a-f]{8}, \d+ s\n$/);
    assert.match(r.err, new RegExp(`signed by ${k.release.keyId}`));
    assert.match(r.err, /\[#+\.*\] +\d+ %/, 'a progress line');
    assert.match(r.err, /s left/, 'with the time left');
    fs.mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'artifacts', 'flash-capture.txt'),
      `$ kerb flash ${argv.map((a) => a.replace(dir, '.')).join(' ')}\n${r.err}${r.out}`.replaceAll(dir, '.'));
  } finally {
    if (previous === undefined) delete process.env.KERB_TRUST_DIR;
    else process.env.KERB_TRUST_DIR = previous;
  }
});

test('unsigned and wrong-key bundles are refused before a port is opened; --force flashes with a warning', async () => {
  const dir = tempDir('kerb-flash-refuse');
  const k = keysAndBundles(dir);
  const env = { KERB_TRUST_DIR: tempDir('kerb-trust-empty') };
  const unsigned = await kerb(['flash', '--bundle', k.plain, '--port', '/dev/ttyUSB-none', '--trust', k.release.publicFile], { env });
  assert.is(unsigned.code, FLASH_EXIT.E_BUNDLE, unsigned.stdout + unsigned.stderr);
  assert.match(unsigned.stdout, /FAILED .*plain\.js is not signed/);
  const foreign = await kerb(['flash', '--bundle', k.foreign, '--port', '/dev/ttyUSB-none', '--trust', k.release.publicFile], { env });
  assert.is(foreign.code, FLASH_EXIT.E_BUNDLE);
  assert.match(foreign.stdout, /signed by key [0-9a-f]{16} which is not in/);
  // Tampered code is refused even with --force.
  const tampered = path.join(dir, 'tampered.kerb');
  fs.writeFileSync(tampered, fs.readFileSync(k.signed, 'utf8').replace('"code": "(function(){', '"code": "(function(){ '));
  const altered = await kerb(['flash', '--bundle', tampered, '--port', '/dev/ttyUSB-none', '--force'], { env });
  assert.is(altered.code, FLASH_EXIT.E_BUNDLE, altered.stdout + altered.stderr);
  // So is a bundle whose signature does not hold, digest recomputed or not.
  const resigned = path.join(dir, 'resigned.kerb');
  const envelope = JSON.parse(fs.readFileSync(k.signed, 'utf8')) as { manifest: { fw: string } };
  envelope.manifest.fw = '9.9.9';
  fs.writeFileSync(resigned, JSON.stringify(envelope));
  const badSignature = await kerb(['flash', '--bundle', resigned, '--port', '/dev/ttyUSB-none', '--trust', k.release.publicFile, '--force'], { env });
  assert.is(badSignature.code, FLASH_EXIT.E_BUNDLE, badSignature.stdout + badSignature.stderr);
  assert.match(badSignature.stdout, /signature does not match/);
  // --force on an unsigned bundle warns, and goes on (here to the missing port).
  const forced = await kerb(['flash', '--bundle', k.plain, '--port', '/dev/ttyUSB-none-such', '--force'], { env });
  assert.match(forced.stderr, /warning: .*not signed[\s\S]*--force: flashing it anyway/);
  assert.is(forced.code, FLASH_EXIT.E_PORT_MISSING, forced.stdout + forced.stderr);
  assert.match(forced.stdout, /next: check the cable and the port name/);
});

test('--dry-run writes every byte that would be sent, in order, and opens no port', async () => {
  const dir = tempDir('kerb-flash-dry');
  const k = keysAndBundles(dir);
  const out = path.join(dir, 'upload.txt');
  const r = await kerb(['flash', '--bundle', k.signed, '--trust', k.release.publicFile, '--dry-run', out, '--device-id', 'lamp-09'], { env: { KERB_TRUST_DIR: tempDir('kerb-trust-empty') } });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const sent = fs.readFileSync(out, 'latin1');
  const lines = sent.split('\n');
  assert.ok(sent.startsWith('\x03\n'), 'Ctrl-C and an empty line first');
  const writes = lines.filter((l) => l.includes(`.write("kerb.new",`));
  assert.is(writes.length, Math.ceil(k.image.code.length / 256));
  assert.ok(sent.indexOf('.write(".bootcde"') > sent.lastIndexOf('.write("kerb.new"'), 'installed only after the whole upload');
  assert.ok(sent.indexOf("Serial1.setup(115200,{flow:'xon'})") < sent.indexOf('.write("kerb.new"'), 'flow control on before the upload');
  assert.ok(sent.includes('"lamp-09"'));
  assert.ok(sent.endsWith('\x10load()\n'));
  assert.ok(lines.every((l) => l === '' || l.startsWith('\x10') || l.startsWith('\x03')), 'every line is a DLE line');
});

test('kerb flash --help shows an example and the exit codes; a missing --port is a usage error', async () => {
  const help = await kerb(['flash', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /examples:\n {2}kerb flash --bundle/);
  assert.match(help.stdout, /10 E_PORT_MISSING, 11 E_PORT_BUSY/);
  const usage = await kerb(['flash', '--bundle', 'x.kerb']);
  assert.is(usage.code, 2);
  assert.match(usage.stderr, /--port PORT is required/);
});

test('kerb provision gives a flashed node its id and key, checks its hello, and adds it to the site file once', async () => {
  const b = await bench();
  benches.push(b);
  const { flash } = await import('../../scripts/flash/flasher.js');
  await driven(b.clock, flash(b.options(imageOf(lampBuild('0.3.0')))));
  const dir = tempDir('kerb-provision');
  const options = {
    path: b.board.path, opener: b.opener, clock: b.clock, deviceId: 'lamp-11', keysDir: dir, force: false,
    linkBaud: 115200, helloMs: 10_000, log: (l: string) => b.logs.push(l),
  };
  const result = await driven(b.clock, provision(options));
  assert.is(result.hello?.id, 'lamp-11');
  assert.is(result.installed?.fw, '0.3.0');
  assert.is(fs.statSync(result.key.file).mode & 0o777, 0o600);
  const again = await driven(b.clock, provision(options)).then(() => undefined, (e: Error & { code?: string }) => e.code);
  assert.is(again, 'E_PROVISIONED');
  await driven(b.clock, new Promise<void>((resolve) => b.clock.setTimeout(resolve, 1_000)));
  assert.is(b.board.node.consoleOn(), 'LoopbackA', 'refused, the node runs its firmware again rather than sit at the REPL');

  const site = path.join(dir, 'site.yaml');
  fs.copyFileSync(path.join(ROOT, 'hil-tests', 'node', 'mixed-street.yaml'), site);
  addToSite(site, { id: 'lamp-11', profile: 'lamp-pir-pwm', port: '/dev/ttyAMA1', baud: 115200 }, PROFILES_DIR);
  const text = fs.readFileSync(site, 'utf8');
  assert.match(text, /# Hosted and serial devices on one gateway/, 'comments kept');
  assert.match(text, /id: lamp-11\n\s+profile: lamp-pir-pwm\n\s+transport:\n\s+type: serial\n\s+port: \/dev\/ttyAMA1/);
  assert.throws(() => addToSite(site, { id: 'lamp-11', profile: 'lamp-pir-pwm', port: '/dev/ttyAMA2', baud: 115200 }, PROFILES_DIR), /already has a device 'lamp-11'/);
  assert.throws(() => addToSite(site, { id: 'lamp-12', profile: 'no-such-profile', port: '/dev/ttyAMA2', baud: 115200 }, PROFILES_DIR), /would not load/);
  assert.is(fs.readFileSync(site, 'utf8'), text, 'a refused entry leaves the file as it was');
});

test.run();
