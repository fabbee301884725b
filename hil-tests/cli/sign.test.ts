/**
 * Signed bundles as a release engineer makes them: `kerb keygen`, then `kerb build --sign`, and
 * the file checked with the library `kerb flash` uses. One firmware build for the whole file
 * (a build takes seconds); the refusals happen before anything is built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../harness/temp-dir.js';
import { loadTrustedKeys, parseBundleFile, serializeBundle, SignError, verifyBundle, type SignedBundle, type VerifyResult } from '../../scripts/sign/index.js';
import { kerb } from './run-kerb.js';

interface KeygenJson {
  keyId: string;
  privateKey: string;
  publicKey: string;
}

async function keygen(base: string): Promise<KeygenJson> {
  const r = await kerb(['keygen', '--out', base, '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as KeygenJson;
}

function failure(r: VerifyResult): { code: string; message: string } {
  if (r.ok) throw new Error('expected a refusal; the bundle verified');
  return r;
}

/** The one signed build every test below shares. */
let built: Promise<{ dir: string; release: KeygenJson; file: string; stdout: string; stderr: string }> | undefined;
function signedBuild() {
  built ??= (async () => {
    const dir = tempDir('kerb-sign-');
    const release = await keygen(path.join(dir, 'release'));
    const file = path.join(dir, 'lamp.kerb');
    const r = await kerb(['build', '--profile', 'lamp-pir-pwm', '--sign', release.privateKey, '--fw-version', '2.0.0-rc.1', '--out', file, '--json']);
    assert.is(r.code, 0, r.stderr);
    return { dir, release, file, stdout: r.stdout, stderr: r.stderr };
  })();
  return built;
}

test('keygen writes BASE.key with mode 0600 and BASE.pub, and prints the key id, both paths and the next step', async () => {
  const base = path.join(tempDir('kerb-sign-'), 'release');
  const r = await kerb(['keygen', '--out', base]);
  assert.is(r.code, 0, r.stderr);
  assert.is(fs.statSync(`${base}.key`).mode & 0o777, 0o600);
  assert.match(fs.readFileSync(`${base}.pub`, 'utf8'), '-----BEGIN PUBLIC KEY-----');
  const trusted = loadTrustedKeys({ dir: path.dirname(base) });
  assert.is(trusted.length, 1);
  assert.match(r.stdout, `key id       ${trusted[0]!.keyId}`);
  assert.match(r.stdout, `${base}.key`);
  assert.match(r.stdout, `cp ${base}.pub ~/.config/kerb/trusted/`);
  assert.match(r.stdout, 'never on laptops in the field');
});

test('keygen refuses to replace a key (exit 1) unless --force; --out needs a value', async () => {
  const base = path.join(tempDir('kerb-sign-'), 'release');
  const first = await keygen(base);
  const again = await kerb(['keygen', '--out', `${base}.key`]);
  assert.is(again.code, 1, again.stderr);
  assert.match(again.stderr, `${base}.key and ${base}.pub already exist`);
  assert.is(fs.readFileSync(`${base}.pub`, 'utf8'), fs.readFileSync(first.publicKey, 'utf8'));
  const forced = await kerb(['keygen', '--out', base, '--force', '--json']);
  assert.is(forced.code, 0, forced.stderr);
  assert.is.not((JSON.parse(forced.stdout) as KeygenJson).keyId, first.keyId);
  const none = await kerb(['keygen']);
  assert.is(none.code, 2);
  assert.match(none.stderr, '--out BASE is required');
});

test('build --sign refuses a key group or others can read (exit 3) with the chmod that fixes it, and writes nothing', async () => {
  const dir = tempDir('kerb-sign-');
  const k = await keygen(path.join(dir, 'release'));
  fs.chmodSync(k.privateKey, 0o644);
  const out = path.join(dir, 'lamp.kerb');
  const r = await kerb(['build', '--profile', 'lamp-pir-pwm', '--sign', k.privateKey, '--out', out]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, `chmod 600 ${k.privateKey}`);
  assert.not.ok(fs.existsSync(out));
});

test('build --fw-version that is not semver is a usage error (exit 2)', async () => {
  const r = await kerb(['build', '--profile', 'lamp-pir-pwm', '--fw-version', 'v2', '--out', path.join(tempDir('kerb-sign-'), 'x.js')]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, "--fw-version: version 'v2' is not semver");
});

test('build --sign writes an envelope that verifies with the .pub, carrying the version in the manifest and the code', async () => {
  const { release, file, stdout, stderr } = await signedBuild();
  const parsed = parseBundleFile(fs.readFileSync(file, 'utf8'), file);
  assert.is(parsed.kind, 'signed');
  const r = verifyBundle(parsed, loadTrustedKeys({ dir: path.join(path.dirname(file), 'none'), files: [release.publicKey] }));
  if (!r.ok) throw new Error(r.message);
  assert.equal(r.signer, { keyId: release.keyId, file: release.publicKey });
  assert.is(r.manifest.fw, '2.0.0-rc.1');
  assert.is(r.manifest.name, 'lamp-pir-pwm');
  assert.is(r.manifest.deviceId, 'unprovisioned');
  assert.ok(r.code.includes('"2.0.0-rc.1"'), 'the node says the same version in its hello');
  const json = JSON.parse(stdout) as { bundles: Array<{ file: string; bytes: number; fw: string; keyId: string; sha256: string; profileHash: string }> };
  assert.is(json.bundles[0]!.file, file);
  assert.is(json.bundles[0]!.bytes, r.manifest.bytes);
  assert.is(json.bundles[0]!.fw, '2.0.0-rc.1');
  assert.is(json.bundles[0]!.keyId, release.keyId);
  assert.is(json.bundles[0]!.sha256, r.manifest.sha256);
  assert.is(json.bundles[0]!.profileHash, r.manifest.profile);
  assert.is(stderr, '', '--json prints nothing else');
});

test('a signed bundle with one byte of code changed is E_BUNDLE_DIGEST; with a manifest field changed, E_BUNDLE_BAD_SIGNATURE', async () => {
  const { release, file } = await signedBuild();
  const text = fs.readFileSync(file, 'utf8');
  const trusted = loadTrustedKeys({ dir: path.join(path.dirname(file), 'none'), files: [release.publicKey] });
  const bundle = JSON.parse(text) as SignedBundle;
  const i = bundle.code.indexOf('2.0.0-rc.1');
  const tampered = { ...bundle, code: bundle.code.slice(0, i) + '3' + bundle.code.slice(i + 1) };
  try {
    parseBundleFile(serializeBundle(tampered), file);
    assert.unreachable('a tampered file parsed');
  } catch (err) {
    assert.instance(err, SignError);
    assert.is((err as SignError).code, 'E_BUNDLE_DIGEST');
    assert.is((err as SignError).field, 'manifest.sha256');
  }
  assert.is(failure(verifyBundle(tampered, trusted)).code, 'E_BUNDLE_DIGEST');
  const relabelled = serializeBundle({ ...bundle, manifest: { ...bundle.manifest, fw: '3.0.0' } });
  assert.is(failure(verifyBundle(parseBundleFile(relabelled, file), trusted)).code, 'E_BUNDLE_BAD_SIGNATURE');
});

test('a bundle signed by a key the laptop does not trust is E_BUNDLE_UNKNOWN_KEY naming the key', async () => {
  const { file, release } = await signedBuild();
  const other = await keygen(path.join(tempDir('kerb-sign-'), 'other'));
  const r = failure(verifyBundle(parseBundleFile(fs.readFileSync(file, 'utf8'), file), loadTrustedKeys({ dir: path.dirname(other.publicKey) })));
  assert.is(r.code, 'E_BUNDLE_UNKNOWN_KEY');
  assert.match(r.message, `signed by key ${release.keyId} which is not in`);
});

test('the same code as a plain .js is unsigned', async () => {
  const { file, dir, release } = await signedBuild();
  const plain = path.join(dir, 'lamp.js');
  fs.writeFileSync(plain, (JSON.parse(fs.readFileSync(file, 'utf8')) as SignedBundle).code);
  const parsed = parseBundleFile(fs.readFileSync(plain, 'utf8'), plain);
  assert.is(parsed.kind, 'plain');
  const r = failure(verifyBundle(parsed, loadTrustedKeys({ files: [release.publicKey], dir: path.join(dir, 'none') })));
  assert.is(r.code, 'E_BUNDLE_UNSIGNED');
  assert.match(r.message, `${plain} is not signed`);
});

test('kerb --help lists keygen; build --help shows --sign, --fw-version and an example with --sign', async () => {
  const top = await kerb(['--help']);
  assert.match(top.stdout, /keygen\s+make an ed25519 key pair/);
  const build = await kerb(['build', '--help']);
  assert.is(build.code, 0);
  assert.match(build.stdout, '--sign KEYFILE');
  assert.match(build.stdout, '--fw-version V');
  assert.match(build.stdout, /kerb build --profile \S+ --sign \S+\.key/);
});

test.run();
