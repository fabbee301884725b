/**
 * The site file's operators and corridors: keys from a file beside the site file or inline,
 * every problem reported at its line (a private key refused outright), corridors checked
 * against the devices.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import { canonicalJson } from '../../gateway/commands/canonical-json.js';
import { commandKeyId, operatorKeys } from '../../gateway/commands/operator-keys.js';
import { canonicalJson as bundleCanonicalJson } from '../../scripts/sign/canonical-json.js';
import { keyId } from '../../scripts/sign/keys.js';
import { tempDir } from '../harness/temp-dir.js';
import { loadOrThrow, makeOperator, PROFILES, writeSite } from './command-rig.js';

test('operators load from a key file relative to the site file and inline; key ids are kerb keygen\'s', () => {
  const dir = tempDir('kerb-site-ops-');
  const [a, b] = [makeOperator(), makeOperator()];
  const site = loadOrThrow(writeSite(dir, a, b));
  assert.equal(site.operators.map((o) => [o.id, o.source]), [['ops-1', path.join(dir, 'keys', 'ops-1.pub')], ['ops-2', 'inline']]);
  assert.equal(site.corridors, { 'school-route': ['lamp-01', 'lamp-02'] });
  assert.equal([...operatorKeys(site.operators).keys()], [a.keyId, b.keyId]);
  assert.is(commandKeyId(a.privateKey), keyId(a.privateKey), 'the same id as scripts/sign');
});

test('a site without operators or corridors loads with none (every command is then refused)', () => {
  const r = loadSite(path.join(PROFILES, 'fixtures', 'site-small.json'), { profilesDir: PROFILES });
  assert.ok(r.ok);
  if (r.ok) assert.equal([r.value.operators, r.value.corridors], [[], {}]);
});

test('bad keys and bad corridors are all reported, each at its field', () => {
  const dir = tempDir('kerb-site-ops-');
  const [a, b] = [makeOperator(), makeOperator()];
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  fs.mkdirSync(path.join(dir, 'keys'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'keys', 'rsa.pub'), rsa);
  fs.writeFileSync(path.join(dir, 'keys', 'secret.key'), a.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const file = writeSite(dir, a, b, [
    '  bad-route: [lamp-01, park-01, lamp-77]',
    '  empty: []',
  ].join('\n'));
  const text = fs.readFileSync(file, 'utf8').replace('operators:\n', [
    'operators:',
    '  - { id: ops-rsa, publicKey: keys/rsa.pub }',
    '  - { id: ops-leak, publicKey: keys/secret.key }',
    '  - { id: ops-none, publicKey: keys/missing.pub }',
    '  - { id: ops-junk, publicKey: "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----" }',
    '  - { id: ops-1, publicKey: keys/ops-1.pub, role: admin }',
    '',
  ].join('\n'));
  fs.writeFileSync(file, text);
  const r = loadSite(file, { profilesDir: PROFILES });
  assert.not.ok(r.ok);
  if (r.ok) return;
  const got = r.errors.map((e) => `${e.code} ${e.path}`).sort();
  assert.equal(got, [
    'E_CFG_KEY operators[0].publicKey',
    'E_CFG_KEY operators[1].publicKey',
    'E_CFG_KEY operators[2].publicKey',
    'E_CFG_KEY operators[3].publicKey',
    'E_CFG_UNKNOWN_FIELD operators[4].role',
    'E_CFG_KEY operators[5].id', // ops-1 again: [4] is ops-1 too
    'E_CFG_SCHEMA corridors.empty',
    'E_CFG_CORRIDOR corridors.bad-route[1]',
    'E_CFG_CORRIDOR corridors.bad-route[2]',
  ].sort());
  const message = (p: string): string => r.errors.find((e) => e.path === p)!.message;
  assert.match(message('operators[0].publicKey'), /expected an ed25519 public key.*rsa/);
  assert.match(message('operators[1].publicKey'), /is a private key: only the operator's BASE\.pub belongs/);
  assert.match(message('operators[2].publicKey'), /cannot read the public key file .*missing\.pub/);
  assert.match(message('operators[3].publicKey'), /not a PEM public key/);
  assert.match(message('corridors.bad-route[1]'), /'park-01' is a parking, not a lamp/);
  assert.match(message('corridors.bad-route[2]'), /no device 'lamp-77' on this site/);
  assert.match(message('operators[5].id'), /operator 'ops-1' is listed twice/);
  assert.ok(r.errors.every((e) => e.line > 0), 'every error has a line');
});

test('the command signature covers the same canonical JSON as firmware bundles', () => {
  const v = { v: 1, command: { name: 'override', device: 'lamp-01', args: { level: 0.5, durationS: 60, on: true, note: 'ü' } }, counter: 9 };
  assert.is(canonicalJson(v), bundleCanonicalJson(v));
});

test.run();
