/**
 * The signed bundle file (`kerb build --sign`), format kerb-bundle/1: one UTF-8 JSON object
 *
 *   {
 *     "format": "kerb-bundle/1",
 *     "manifest": {
 *       "name": "lamp-pir-pwm",        profile or site device the bundle was built for
 *       "kind": "lamp",                lamp | parking | bin
 *       "fw": "1.4.0",                 semver; the node says it in its hello
 *       "profile": "3f2a9c01",         profile hash the node says in its hello
 *       "deviceId": "lamp-07",         id the node says in its hello
 *       "baud": 115200,                Serial1 speed the node talks at
 *       "bytes": 11234,                UTF-8 byte length of code
 *       "sha256": "<64 hex>",          SHA-256 of the UTF-8 bytes of code
 *       "keyId": "<16 hex>",           signer: first 16 hex of sha256(raw ed25519 public key)
 *       "signedAt": "2026-06-21T09:00:00.000Z"
 *     },
 *     "signature": "<base64 of 64 bytes>",
 *     "code": "<the Espruino JavaScript, as one string>"
 *   }
 *
 * The signature is ed25519 over the UTF-8 bytes of "kerb-bundle/1\n" + canonicalJson(manifest)
 * (keys sorted, no whitespace); the code is bound to it through bytes and sha256. Fields beyond
 * these are refused: what is signed is exactly what is checked. A file that is not this envelope
 * but parses as JavaScript is a plain (unsigned) bundle.
 */
import { createHash } from 'node:crypto';
import { parse as parseJs } from 'acorn';
import type { DeviceKind } from '../../firmware/devices/types.js';
import { DEVICE_KINDS } from '../../gateway/batch/format.js';
import { parseVersion } from './semver.js';
import { SignError } from './sign-error.js';

export const BUNDLE_FORMAT = 'kerb-bundle/1';

export interface Manifest {
  name: string;
  kind: DeviceKind;
  fw: string;
  profile: string;
  deviceId: string;
  baud: number;
  bytes: number;
  sha256: string;
  keyId: string;
  signedAt: string;
}

export interface SignedBundle {
  format: typeof BUNDLE_FORMAT;
  manifest: Manifest;
  signature: string;
  code: string;
}

export type ParsedBundle =
  | { kind: 'signed'; file: string; bundle: SignedBundle }
  | { kind: 'plain'; file: string; code: string };

export interface Problem {
  field: string;
  message: string;
}

type Check = (v: unknown) => string | undefined;
const text: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string');
const pattern = (re: RegExp, what: string): Check => (v) => (typeof v === 'string' && re.test(v) ? undefined : `must be ${what}`);
const integer = (min: number, max: number): Check => (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be a whole number from ${min} to ${max}`);

const MANIFEST: Record<keyof Manifest, Check> = {
  name: text,
  kind: (v) => ((DEVICE_KINDS as readonly unknown[]).includes(v) ? undefined : `must be one of ${DEVICE_KINDS.join(', ')}`),
  fw: (v) => {
    try {
      parseVersion(v as string);
      return undefined;
    } catch {
      return 'must be a semver version like 1.4.0 or 1.5.0-rc.1';
    }
  },
  profile: pattern(/^[0-9a-f]{8}$/, '8 hex digits (a profile hash)'),
  deviceId: pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "1..32 letters, digits, '.', '_' or '-'"),
  baud: integer(9600, 921600),
  bytes: integer(0, Number.MAX_SAFE_INTEGER),
  sha256: pattern(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
  keyId: pattern(/^[0-9a-f]{16}$/, '16 lowercase hex digits'),
  signedAt: (v) => (typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'must be an ISO time like 2026-06-21T09:00:00.000Z'),
};

/** What a bad field holds, cut short; a value nested too deep to print (JSON.stringify throws) is named by its type. */
const found = (v: unknown): string => {
  if (v === undefined) return 'it is missing';
  let shown: string | undefined;
  try {
    shown = JSON.stringify(v)?.slice(0, 40);
  } catch {
    shown = Array.isArray(v) ? 'an array nested too deep to show' : undefined;
  }
  return `found ${shown ?? typeof v}`;
};
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every way `value` is not a well-formed kerb-bundle/1 envelope (the code's digest is not checked here). */
export function envelopeProblems(value: unknown): Problem[] {
  if (!isObject(value)) return [{ field: '(file)', message: 'must be a JSON object' }];
  const problems: Problem[] = [];
  const add = (field: string, why: string | undefined, v: unknown): void => {
    if (why !== undefined) problems.push({ field, message: `${why}; ${found(v)}` });
  };
  add('format', value.format === BUNDLE_FORMAT ? undefined : `must be "${BUNDLE_FORMAT}"`, value.format);
  add('signature', typeof value.signature === 'string' && /^[A-Za-z0-9+/]{86}==$/.test(value.signature) ? undefined : 'must be the base64 of a 64-byte ed25519 signature', value.signature);
  add('code', typeof value.code === 'string' ? undefined : 'must be the bundle JavaScript as a string', value.code);
  for (const key of Object.keys(value)) if (!['format', 'manifest', 'signature', 'code'].includes(key)) add(key, `is not a ${BUNDLE_FORMAT} field`, value[key]);
  const m = value.manifest;
  if (!isObject(m)) {
    add('manifest', 'must be an object', m);
    return problems;
  }
  for (const [field, check] of Object.entries(MANIFEST)) add(`manifest.${field}`, check(m[field]), m[field]);
  for (const key of Object.keys(m)) if (!Object.hasOwn(MANIFEST, key)) add(`manifest.${key}`, `is not a ${BUNDLE_FORMAT} manifest field`, m[key]);
  return problems;
}

export function codeDigest(code: string): { bytes: number; sha256: string } {
  const buf = Buffer.from(code, 'utf8');
  return { bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** Where the code is not what the manifest says was signed. */
export function digestProblems(bundle: SignedBundle): Problem[] {
  const actual = codeDigest(bundle.code);
  const problems: Problem[] = [];
  if (actual.bytes !== bundle.manifest.bytes) problems.push({ field: 'manifest.bytes', message: `says ${bundle.manifest.bytes} bytes; the code has ${actual.bytes}` });
  if (actual.sha256 !== bundle.manifest.sha256) problems.push({ field: 'manifest.sha256', message: `says ${bundle.manifest.sha256.slice(0, 12)}…; the code's is ${actual.sha256.slice(0, 12)}…` });
  return problems;
}

export function describeProblems(file: string, problems: Problem[]): string {
  return problems.map((p) => (p.field === '(file)' ? `${file} ${p.message}` : `${file}: ${p.field} ${p.message}`)).join('\n');
}

export function serializeBundle(bundle: SignedBundle): string {
  const { format, manifest, signature, code } = bundle;
  return JSON.stringify({ format, manifest, signature, code }, null, 2) + '\n';
}

function malformed(file: string, problems: Problem[]): SignError {
  const fields = problems.map((p) => p.field);
  const message = fields[0] === '(file)' ? describeProblems(file, problems) : `${file} is not a valid ${BUNDLE_FORMAT} bundle:\n${describeProblems(file, problems)}`;
  return new SignError('E_BUNDLE_MALFORMED', message, { file, field: fields[0]!, fields });
}

function javaScriptError(code: string): string | undefined {
  try {
    parseJs(code, { ecmaVersion: 'latest', sourceType: 'script' });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Reads a bundle file's text: the signed envelope, or plain JavaScript (an unsigned bundle).
 * Throws SignError E_BUNDLE_MALFORMED naming the file and every bad field, or E_BUNDLE_DIGEST when
 * the code is not the code the manifest describes (changed or damaged after signing).
 */
export function parseBundleFile(text: string, fileName: string): ParsedBundle {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw malformed(fileName, [{ field: '(file)', message: 'is empty' }]);
  let json: unknown;
  let jsonError: string | undefined;
  if (body.trimStart().startsWith('{')) {
    try {
      json = JSON.parse(body);
    } catch (err) {
      jsonError = (err as Error).message;
    }
  }
  if (isObject(json)) {
    const problems = envelopeProblems(json);
    if (problems.length > 0) throw malformed(fileName, problems);
    const bundle = json as unknown as SignedBundle;
    const digest = digestProblems(bundle);
    if (digest.length > 0) {
      throw new SignError('E_BUNDLE_DIGEST', `${fileName}: the code is not the code that was signed (changed or damaged after signing):\n` +
        `${describeProblems(fileName, digest)}\ndo not flash it; get the bundle again from the release`, { file: fileName, field: digest[0]!.field, fields: digest.map((p) => p.field) });
    }
    return { kind: 'signed', file: fileName, bundle };
  }
  const jsError = javaScriptError(body);
  if (jsError === undefined) return { kind: 'plain', file: fileName, code: body };
  const why = jsonError !== undefined ? `not valid JSON (${jsonError})` : `neither a ${BUNDLE_FORMAT} JSON envelope nor JavaScript (${jsError})`;
  throw malformed(fileName, [{ field: '(file)', message: `is ${why}` }]);
}
