import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../hil-tests/harness/temp-dir.js';
import { canonicalJson } from './canonical-json.js';
import { parseBundleFile, serializeBundle, type SignedBundle } from './envelope.js';
import { readPrivateKey, writeKeyPair } from './keys.js';
import { signBundle } from './sign-bundle.js';
import { loadTrustedKeys, type TrustedKey } from './trust-store.js';
import { verifyBundle, type VerifyResult } from './verify-bundle.js';

const CODE = 'function onInit() { print("hi"); }\n';
const FIELDS = { name: 'bin-02', kind: 'bin', fw: '1.4.0', profile: '0badf00d', deviceId: 'bin-02', baud: 57600 } as const;

function keys() {
  const dir = tempDir('kerb-verify-');
  const release = writeKeyPair(path.join(dir, 'release'));
  const other = writeKeyPair(path.join(dir, 'other'));
  const trusted = loadTrustedKeys({ dir: path.join(dir, 'none'), files: [release.publicFile] });
  return { release, other, trusted, sign: (code = CODE) => signBundle(code, FIELDS, readPrivateKey(release.privateFile)) };
}

function failure(r: VerifyResult): { code: string; message: string } {
  if (r.ok) throw new Error('expected a refusal; the bundle verified');
  return r;
}

const copy = (b: SignedBundle): SignedBundle => JSON.parse(JSON.stringify(b)) as SignedBundle;

test('a bundle signed with a trusted key verifies, naming the signer', () => {
  const { release, trusted, sign } = keys();
  const b = sign();
  const r = verifyBundle(parseBundleFile(serializeBundle(b), 'bin.kerb'), trusted);
  assert.equal(r, { ok: true, manifest: b.manifest, code: CODE, signer: { keyId: release.keyId, file: release.publicFile } });
});

test('the manifest in any key order verifies the same: the signature is over canonical JSON', () => {
  const { trusted, sign } = keys();
  const b = sign();
  const reversed = Object.fromEntries(Object.entries(b.manifest).reverse()) as unknown as SignedBundle['manifest'];
  assert.is.not(JSON.stringify(reversed), JSON.stringify(b.manifest));
  assert.is(canonicalJson(reversed), canonicalJson(b.manifest));
  assert.ok(verifyBundle({ ...b, manifest: reversed }, trusted).ok);
});

test('one byte of code changed is E_BUNDLE_DIGEST', () => {
  const { trusted, sign } = keys();
  const b = copy(sign());
  b.code = b.code.replace('hi', 'ho');
  const r = failure(verifyBundle(b, trusted, { file: 'bin.kerb' }));
  assert.is(r.code, 'E_BUNDLE_DIGEST');
  assert.match(r.message, 'bin.kerb: manifest.sha256');
});

test('a manifest field changed after signing is E_BUNDLE_BAD_SIGNATURE; so is a changed signature', () => {
  const { trusted, sign } = keys();
  for (const edit of [(b: SignedBundle) => (b.manifest.fw = '9.9.9'), (b: SignedBundle) => (b.manifest.deviceId = 'bin-03'), (b: SignedBundle) => (b.manifest.baud = 115200)]) {
    const b = copy(sign());
    edit(b);
    const r = failure(verifyBundle(b, trusted));
    assert.is(r.code, 'E_BUNDLE_BAD_SIGNATURE');
    assert.match(r.message, 'do not flash it');
  }
  const b = copy(sign());
  const sig = Buffer.from(b.signature, 'base64');
  sig[0] ^= 1;
  b.signature = sig.toString('base64');
  assert.is(failure(verifyBundle(b, trusted)).code, 'E_BUNDLE_BAD_SIGNATURE');
});

test('a bundle signed by a key that is not trusted is E_BUNDLE_UNKNOWN_KEY, saying where keys go and what to ask for', () => {
  const { other, trusted, release } = keys();
  const b = signBundle(CODE, FIELDS, readPrivateKey(other.privateFile));
  const r = failure(verifyBundle(b, trusted, { trustDir: '/etc/kerb/trusted', file: 'bin.kerb' }));
  assert.is(r.code, 'E_BUNDLE_UNKNOWN_KEY');
  assert.match(r.message, `bin.kerb is signed by key ${other.keyId} which is not in /etc/kerb/trusted (trusted: ${release.keyId})`);
  assert.match(r.message, "ask for the release key's .pub");
  assert.match(r.message, '--trust FILE');
  assert.match(failure(verifyBundle(b, [] as TrustedKey[])).message, 'no keys are trusted yet');
});

test('a plain JavaScript bundle is E_BUNDLE_UNSIGNED, saying how to sign it', () => {
  const { trusted } = keys();
  const r = failure(verifyBundle(parseBundleFile(CODE, 'bin.js'), trusted));
  assert.is(r.code, 'E_BUNDLE_UNSIGNED');
  assert.match(r.message, 'bin.js is not signed');
  assert.match(r.message, 'kerb build --sign KEYFILE');
});

test('a bundle object that is not well formed is E_BUNDLE_MALFORMED naming the field', () => {
  const { trusted, sign } = keys();
  const b = copy(sign());
  (b.manifest as unknown as Record<string, unknown>).bytes = -1;
  const r = failure(verifyBundle(b, trusted));
  assert.is(r.code, 'E_BUNDLE_MALFORMED');
  assert.match(r.message, 'manifest.bytes must be a whole number');
});

test.run();
