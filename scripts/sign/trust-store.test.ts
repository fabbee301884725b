import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../hil-tests/harness/temp-dir.js';
import { writeKeyPair } from './keys.js';
import { SignError } from './sign-error.js';
import { defaultTrustDir, displayPath, loadTrustedKeys } from './trust-store.js';

test('the trusted directory is $KERB_TRUST_DIR, else $XDG_CONFIG_HOME/kerb/trusted, else ~/.config/kerb/trusted', () => {
  assert.is(defaultTrustDir({ KERB_TRUST_DIR: '/etc/kerb/keys', XDG_CONFIG_HOME: '/x' }), '/etc/kerb/keys');
  assert.is(defaultTrustDir({ XDG_CONFIG_HOME: '/x' }), '/x/kerb/trusted');
  assert.is(defaultTrustDir({}), path.join(os.homedir(), '.config', 'kerb', 'trusted'));
  assert.is(defaultTrustDir({ XDG_CONFIG_HOME: 'relative' }), path.join(os.homedir(), '.config', 'kerb', 'trusted'), 'a relative XDG path is ignored');
  assert.is(displayPath(path.join(os.homedir(), '.config', 'kerb', 'trusted')), path.join('~', '.config', 'kerb', 'trusted'));
});

test('every *.pub in the directory is trusted, once each, with files named on top', () => {
  const dir = tempDir('kerb-trust-');
  const keys = tempDir('kerb-trust-keys-');
  const a = writeKeyPair(path.join(dir, 'a'));
  fs.rmSync(a.privateFile);
  const b = writeKeyPair(path.join(dir, 'b'));
  fs.rmSync(b.privateFile);
  fs.writeFileSync(path.join(dir, 'README.txt'), 'not a key');
  const c = writeKeyPair(path.join(keys, 'c'));
  const loaded = loadTrustedKeys({ dir, files: [c.publicFile, a.publicFile] });
  assert.equal(loaded.map((k) => [k.keyId, k.file]), [[c.keyId, c.publicFile], [a.keyId, a.publicFile], [b.keyId, b.publicFile]]);
  assert.equal(loadTrustedKeys({ env: { KERB_TRUST_DIR: dir } }).map((k) => k.keyId), [a.keyId, b.keyId]);
});

test('a missing directory trusts nothing; a bad .pub in it is named', () => {
  assert.equal(loadTrustedKeys({ dir: path.join(tempDir('kerb-trust-'), 'none') }), []);
  const dir = tempDir('kerb-trust-');
  fs.writeFileSync(path.join(dir, 'broken.pub'), 'garbage');
  try {
    loadTrustedKeys({ dir });
    assert.unreachable('a broken .pub was trusted');
  } catch (err) {
    assert.instance(err, SignError);
    assert.is((err as SignError).file, path.join(dir, 'broken.pub'));
  }
});

test.run();
