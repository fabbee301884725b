import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../hil-tests/harness/temp-dir.js';
import { generateSigningKey, keyId, readPrivateKey, readPublicKey, writeKeyPair } from './keys.js';
import { SignError, type SignErrorCode } from './sign-error.js';

function refused(code: SignErrorCode, fn: () => unknown): SignError {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof SignError)) throw err;
    assert.is(err.code, code, err.message);
    return err;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

test('keyId is the first 16 hex digits of sha256 over the raw 32-byte public key, for either half', () => {
  const { privateKey, publicKey } = generateSigningKey();
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32); // SPKI for ed25519: a 12-byte header, then the key
  const expected = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  assert.is(keyId(publicKey), expected);
  assert.is(keyId(privateKey), expected);
  assert.is.not(keyId(generateSigningKey().publicKey), expected);
});

test('writeKeyPair writes BASE.key with mode 0600 and BASE.pub, which read back as the same key', () => {
  const base = path.join(tempDir('kerb-keys-'), 'nested', 'release');
  const w = writeKeyPair(base);
  assert.equal([w.privateFile, w.publicFile], [`${base}.key`, `${base}.pub`]);
  assert.is(fs.statSync(w.privateFile).mode & 0o777, 0o600);
  assert.is(fs.statSync(w.publicFile).mode & 0o077 & ~0o044, 0, 'the .pub is not writable by others');
  assert.match(fs.readFileSync(w.privateFile, 'utf8'), '-----BEGIN PRIVATE KEY-----');
  assert.match(fs.readFileSync(w.publicFile, 'utf8'), '-----BEGIN PUBLIC KEY-----');
  assert.is(keyId(readPrivateKey(w.privateFile)), w.keyId);
  assert.is(keyId(readPublicKey(w.publicFile)), w.keyId);
  assert.equal(fs.readdirSync(path.dirname(base)).sort(), ['release.key', 'release.pub'], 'no temporary files left');
});

test('writeKeyPair refuses to replace an existing key without force, and replaces it with force', () => {
  const base = path.join(tempDir('kerb-keys-'), 'release');
  const first = writeKeyPair(base);
  const err = refused('E_KEY_EXISTS', () => writeKeyPair(base));
  assert.match(err.message, `${base}.key and ${base}.pub already exist`);
  assert.match(err.message, '--force');
  assert.is(keyId(readPublicKey(`${base}.pub`)), first.keyId, 'untouched');
  const second = writeKeyPair(base, { force: true });
  assert.is.not(second.keyId, first.keyId);
  assert.is(fs.statSync(`${base}.key`).mode & 0o777, 0o600);
});

test('readPrivateKey refuses a key group or others can read, naming the file and the chmod that fixes it', () => {
  const { privateFile } = writeKeyPair(path.join(tempDir('kerb-keys-'), 'release'));
  for (const mode of [0o644, 0o640, 0o604, 0o620]) {
    fs.chmodSync(privateFile, mode);
    const err = refused('E_KEY_PERMISSIONS', () => readPrivateKey(privateFile));
    assert.is(err.file, privateFile);
    assert.match(err.message, `chmod 600 ${privateFile}`);
    assert.match(err.message, `mode 0${mode.toString(8)}`);
  }
  fs.chmodSync(privateFile, 0o400);
  readPrivateKey(privateFile);
});

test('readPrivateKey refuses a missing file, a public key, an RSA key and junk, each saying what to pass instead', () => {
  const dir = tempDir('kerb-keys-');
  const { publicFile } = writeKeyPair(path.join(dir, 'release'));
  assert.match(refused('E_KEY_MISSING', () => readPrivateKey(path.join(dir, 'nope.key'))).message, 'kerb keygen --out BASE');
  assert.match(refused('E_KEY_INVALID', () => readPrivateKey(publicFile)).message, 'is a public key');
  const rsa = path.join(dir, 'rsa.key');
  fs.writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  assert.match(refused('E_KEY_INVALID', () => readPrivateKey(rsa)).message, `${rsa} holds an rsa key`);
  const junk = path.join(dir, 'junk.key');
  fs.writeFileSync(junk, 'not a key\n', { mode: 0o600 });
  assert.match(refused('E_KEY_INVALID', () => readPrivateKey(junk)).message, `${junk} is not a PEM private key`);
});

test('readPublicKey refuses a private key: it does not belong on a laptop', () => {
  const { privateFile } = writeKeyPair(path.join(tempDir('kerb-keys-'), 'release'));
  assert.match(refused('E_KEY_INVALID', () => readPublicKey(privateFile)).message, 'holds a private key; only the .pub belongs here');
  assert.match(refused('E_KEY_MISSING', () => readPublicKey(privateFile + '.nope')).message, 'no public key at');
});

test.run();
