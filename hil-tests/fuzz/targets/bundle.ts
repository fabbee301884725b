/**
 * The signed bundle file `kerb flash` reads (kerb-bundle/1 JSON, or plain JavaScript). A pass is
 * a ParsedBundle or a SignError; a signed bundle that parses carries only the manifest fields
 * the format names (what is signed is exactly what is checked).
 */
import fc from 'fast-check';
import { codeDigest, parseBundleFile, type SignedBundle } from '../../../scripts/sign/envelope.js';
import { SignError } from '../../../scripts/sign/sign-error.js';
import { mutatedData } from '../data-mutate.js';
import { showText, violation, type FuzzTarget } from '../fuzz-target.js';
import { mutatedText } from '../mutate.js';
import { TEXT_SEEDS } from '../text-seeds.js';

const CODE = 'var on=false;function f(){on=!on;digitalWrite(D2,on);}setInterval(f,500);';
const GOOD: SignedBundle = {
  format: 'kerb-bundle/1',
  manifest: {
    name: 'lamp-pir-pwm', kind: 'lamp', fw: '1.4.0', profile: '3f2a9c01', deviceId: 'lamp-07', baud: 115200,
    ...codeDigest(CODE), keyId: '0123456789abcdef', signedAt: '2026-06-21T09:00:00.000Z',
  },
  signature: `${'A'.repeat(86)}==`,
  code: CODE,
};
const GOOD_TEXT = JSON.stringify(GOOD, null, 2);
const MANIFEST_FIELDS = Object.keys(GOOD.manifest);

/** A bundle whose code matches its digest after the mutation, so the checks past it are reached. */
function redigested(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as SignedBundle).code === 'string') {
    const m = (v as SignedBundle).manifest as unknown;
    if (m !== null && typeof m === 'object' && !Array.isArray(m)) Object.assign(m, codeDigest((v as SignedBundle).code));
  }
  return v;
}

const text = fc.oneof(
  mutatedText(fc.constant(GOOD_TEXT)),
  fc.tuple(mutatedData(fc.constant(GOOD)), fc.boolean()).map(([v, fix]) => JSON.stringify(fix ? redigested(v) : v) ?? ''),
  mutatedText(fc.constant(CODE)),
  fc.string({ maxLength: 200, unit: 'binary' }),
);

const manifestWith = (extra: string): string => GOOD_TEXT.replace('"name":', `${extra}, "name":`);
const seeds = [
  ...TEXT_SEEDS,
  { name: 'a manifest with a constructor field', input: manifestWith('"constructor": "x"') },
  { name: 'a manifest with a toString field', input: manifestWith('"toString": 1') },
  { name: 'a manifest with a __proto__ field', input: manifestWith('"__proto__": {"polluted": 1}') },
  { name: 'a manifest field 10,000 arrays deep', input: GOOD_TEXT.replace('"1.4.0"', '['.repeat(10_000) + ']'.repeat(10_000)) },
  { name: 'an envelope field 100,000 arrays deep', input: GOOD_TEXT.replace('"kerb-bundle/1"', '['.repeat(100_000) + ']'.repeat(100_000)) },
  { name: 'an extra envelope field 100,000 objects deep', input: GOOD_TEXT.replace('{', '{"x":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + ',') },
  { name: 'a baud of 1e400', input: GOOD_TEXT.replace('115200', '1e400') },
  { name: 'a fw of 10,000 digits', input: GOOD_TEXT.replace('"1.4.0"', `"${'9'.repeat(10_000)}.0.0"`) },
  { name: 'JavaScript 10,000 parentheses deep', input: '('.repeat(10_000) + '1' + ')'.repeat(10_000) },
  { name: 'a BOM alone', input: '\ufeff' },
];

export const bundle: FuzzTarget<string> = {
  name: 'bundle',
  parser: 'parseBundleFile (JSON envelope, acorn)',
  arbitrary: text,
  seeds,
  run(input) {
    const parsed = parseBundleFile(input, 'fuzz.kbundle');
    if (parsed.kind === 'signed') {
      const extra = Object.keys(parsed.bundle.manifest).filter((k) => !MANIFEST_FIELDS.includes(k));
      violation(extra.length === 0, `a signed bundle was accepted with manifest fields the format does not name: ${extra.join(', ')}`);
    }
  },
  isTyped: (err) => err instanceof SignError,
  show: showText,
};
