/**
 * Checking a bundle before it is flashed, in the order a technician can act on: is it signed at
 * all, is it well formed, is the code the code that was signed, is the signer trusted, does the
 * signature hold. Every refusal says what to do next.
 */
import { verify } from 'node:crypto';
import { describeProblems, digestProblems, envelopeProblems, type Manifest, type ParsedBundle, type SignedBundle } from './envelope.js';
import { signingPayload } from './sign-bundle.js';
import { defaultTrustDir, displayPath, type TrustedKey } from './trust-store.js';

export type VerifyFailureCode = 'E_BUNDLE_UNSIGNED' | 'E_BUNDLE_UNKNOWN_KEY' | 'E_BUNDLE_BAD_SIGNATURE' | 'E_BUNDLE_DIGEST' | 'E_BUNDLE_MALFORMED';

export type VerifyResult =
  | { ok: true; manifest: Manifest; code: string; signer: { keyId: string; file: string } }
  | { ok: false; code: VerifyFailureCode; message: string };

export interface VerifyOptions {
  /** The trusted directory to name in messages; default: defaultTrustDir(). */
  trustDir?: string;
  /** The bundle's file, to name in messages (a ParsedBundle brings its own). */
  file?: string;
}

function isParsed(b: SignedBundle | ParsedBundle): b is ParsedBundle {
  return (b as ParsedBundle).kind === 'signed' || (b as ParsedBundle).kind === 'plain';
}

export function verifyBundle(input: SignedBundle | ParsedBundle, trusted: readonly TrustedKey[], options: VerifyOptions = {}): VerifyResult {
  const file = (isParsed(input) ? input.file : options.file) ?? 'the bundle';
  if (isParsed(input) && input.kind === 'plain') {
    return { ok: false, code: 'E_BUNDLE_UNSIGNED', message: `${file} is not signed (plain JavaScript); build it with \`kerb build --sign KEYFILE\`` };
  }
  const bundle = isParsed(input) ? (input as Extract<ParsedBundle, { kind: 'signed' }>).bundle : input;
  const shape = envelopeProblems(bundle);
  if (shape.length > 0) {
    return { ok: false, code: 'E_BUNDLE_MALFORMED', message: `${file} is not a valid signed bundle:\n${describeProblems(file, shape)}` };
  }
  const digest = digestProblems(bundle);
  if (digest.length > 0) {
    return {
      ok: false, code: 'E_BUNDLE_DIGEST',
      message: `${file}: the code is not the code that was signed (changed or damaged after signing):\n${describeProblems(file, digest)}\ndo not flash it; get the bundle again from the release`,
    };
  }
  const m = bundle.manifest;
  const candidates = trusted.filter((k) => k.keyId === m.keyId);
  if (candidates.length === 0) {
    const dir = displayPath(options.trustDir ?? defaultTrustDir());
    const have = trusted.length === 0 ? 'no keys are trusted yet' : `trusted: ${trusted.map((k) => k.keyId).join(', ')}`;
    return {
      ok: false, code: 'E_BUNDLE_UNKNOWN_KEY',
      message: `${file} is signed by key ${m.keyId} which is not in ${dir} (${have}); ask for the release key's .pub and copy it there, or pass --trust FILE`,
    };
  }
  const signature = Buffer.from(bundle.signature, 'base64');
  const signer = candidates.find((k) => verify(null, signingPayload(m), k.key, signature));
  if (signer === undefined) {
    return {
      ok: false, code: 'E_BUNDLE_BAD_SIGNATURE',
      message: `${file}: the signature does not match its manifest for key ${m.keyId} (${displayPath(candidates[0]!.file)}): the manifest or signature was changed after signing; do not flash it, get the bundle again from the release`,
    };
  }
  return { ok: true, manifest: m, code: bundle.code, signer: { keyId: signer.keyId, file: signer.file } };
}
