import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from './canonical-json.js';
import { parseBundleFile, serializeBundle, type SignedBundle } from './envelope.js';
import { generateSigningKey } from './keys.js';
import { signBundle, signingPayload, type BundleFields } from './sign-bundle.js';
import { SignError, type SignErrorCode } from './sign-error.js';

const CODE = 'var x = "grüße";\nfunction onInit() { print(x); }\n';
const FIELDS: BundleFields = { name: 'lamp-pir-pwm', kind: 'lamp', fw: '1.4.0', profile: '3f2a9c01', deviceId: 'lamp-07', baud: 115200 };
const NOW = new Date('2026-06-21T09:00:00.000Z');
const signed = (): SignedBundle => signBundle(CODE, FIELDS, generateSigningKey().privateKey, NOW);

function refused(code: SignErrorCode, text: string): SignError {
  try {
    parseBundleFile(text, 'lamp.kerb');
  } catch (err) {
    if (!(err instanceof SignError)) throw err;
    assert.is(err.code, code, err.message);
    assert.is(err.file, 'lamp.kerb');
    return err;
  }
  throw new Error(`expected ${code}; the file was accepted`);
}

/** The signed bundle's JSON with one change made to it. */
function edited(edit: (j: Record<string, any>) => void): string {
  const j = JSON.parse(serializeBundle(signed())) as Record<string, any>;
  edit(j);
  return JSON.stringify(j);
}

test('canonicalJson sorts keys at every depth and has no whitespace', () => {
  assert.is(canonicalJson({ b: 1, a: { d: [2, { f: 'x', e: null }], c: true } }), '{"a":{"c":true,"d":[2,{"e":null,"f":"x"}]},"b":1}');
  assert.throws(() => canonicalJson({ a: NaN }));
});

test('signBundle fills bytes, sha256, keyId and signedAt; the signature covers the format line and the canonical manifest', () => {
  const b = signed();
  assert.is(b.format, 'kerb-bundle/1');
  assert.equal(Object.keys(b.manifest).sort(), ['baud', 'bytes', 'deviceId', 'fw', 'keyId', 'kind', 'name', 'profile', 'sha256', 'signedAt']);
  assert.is(b.manifest.bytes, Buffer.byteLength(CODE), 'UTF-8 bytes, not characters');
  assert.is(b.manifest.signedAt, NOW.toISOString());
  assert.is(signingPayload(b.manifest).toString('utf8'), `kerb-bundle/1\n${canonicalJson(b.manifest)}`);
  assert.is(Buffer.from(b.signature, 'base64').length, 64);
});

test('signBundle refuses a version that is not semver and fields a verifier would refuse', () => {
  const key = generateSigningKey().privateKey;
  assert.throws(() => signBundle(CODE, { ...FIELDS, fw: '1.4' }, key), (e: unknown) => (e as SignError).code === 'E_VERSION_INVALID');
  assert.throws(() => signBundle(CODE, { ...FIELDS, baud: 300 }, key), (e: unknown) => (e as SignError).field === 'manifest.baud');
  assert.throws(() => signBundle(CODE, FIELDS, generateSigningKey().publicKey), (e: unknown) => (e as SignError).code === 'E_KEY_INVALID');
});

test('a serialized bundle parses back as signed, identical', () => {
  const b = signed();
  const parsed = parseBundleFile(serializeBundle(b), 'lamp.kerb');
  assert.equal(parsed, { kind: 'signed', file: 'lamp.kerb', bundle: b });
});

test('a file of JavaScript is a plain (unsigned) bundle', () => {
  assert.equal(parseBundleFile(CODE, 'lamp.js'), { kind: 'plain', file: 'lamp.js', code: CODE });
  assert.equal(parseBundleFile('\ufeff{ var a = 1; }', 'b.js'), { kind: 'plain', file: 'b.js', code: '{ var a = 1; }' });
});

test('a malformed envelope is refused naming the file and every bad field', () => {
  const cases: Array<[string, (j: Record<string, any>) => void, string[], string]> = [
    ['wrong format', (j) => (j.format = 'kerb-bundle/2'), ['format'], 'must be "kerb-bundle/1"; found "kerb-bundle/2"'],
    ['no manifest', (j) => delete j.manifest, ['manifest'], 'must be an object; it is missing'],
    ['fw not semver', (j) => (j.manifest.fw = 'latest'), ['manifest.fw'], 'must be a semver version like 1.4.0 or 1.5.0-rc.1; found "latest"'],
    ['baud a string', (j) => (j.manifest.baud = '115200'), ['manifest.baud'], 'must be a whole number from 9600 to 921600; found "115200"'],
    ['two bad fields', (j) => { delete j.manifest.keyId; j.manifest.kind = 'toaster'; }, ['manifest.kind', 'manifest.keyId'], 'must be one of lamp, parking, bin'],
    ['an extra field', (j) => (j.manifest.channel = 'beta'), ['manifest.channel'], 'is not a kerb-bundle/1 manifest field'],
    ['short signature', (j) => (j.signature = 'AAAA'), ['signature'], 'must be the base64 of a 64-byte ed25519 signature'],
    ['code not a string', (j) => (j.code = 42), ['code'], 'must be the bundle JavaScript as a string; found 42'],
  ];
  for (const [name, edit, fields, message] of cases) {
    const err = refused('E_BUNDLE_MALFORMED', edited(edit));
    assert.equal(err.fields, fields, name);
    assert.is(err.field, fields[0], name);
    assert.match(err.message, `lamp.kerb: ${fields[0]} `, name);
    assert.match(err.message, message, name);
  }
});

test('a file that is neither the envelope nor JavaScript, or is empty, is malformed', () => {
  assert.match(refused('E_BUNDLE_MALFORMED', '{"format": "kerb-bundle/1", ').message, 'lamp.kerb is not valid JSON');
  assert.match(refused('E_BUNDLE_MALFORMED', '\x00\x01binary').message, 'neither a kerb-bundle/1 JSON envelope nor JavaScript');
  assert.match(refused('E_BUNDLE_MALFORMED', ' \n').message, 'lamp.kerb is empty');
});

test('code that does not match bytes or sha256 is E_BUNDLE_DIGEST naming the field', () => {
  const oneByte = refused('E_BUNDLE_DIGEST', edited((j) => (j.code = j.code.replace('print', 'prinT'))));
  assert.equal(oneByte.fields, ['manifest.sha256']);
  assert.match(oneByte.message, 'do not flash it');
  const longer = refused('E_BUNDLE_DIGEST', edited((j) => (j.code += ';')));
  assert.equal(longer.fields, ['manifest.bytes', 'manifest.sha256']);
});

test.run();
