/**
 * Signing a firmware bundle: the manifest describes the code (its length and SHA-256) and the
 * build it came from; ed25519 signs "kerb-bundle/1\n" + canonicalJson(manifest). Format in
 * envelope.ts.
 */
import { sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { BUNDLE_FORMAT, codeDigest, describeProblems, envelopeProblems, type Manifest, type SignedBundle } from './envelope.js';
import { keyId } from './keys.js';
import { parseVersion } from './semver.js';
import { SignError } from './sign-error.js';

export type BundleFields = Omit<Manifest, 'bytes' | 'sha256' | 'keyId' | 'signedAt'>;

/** The exact bytes the signature covers. */
export function signingPayload(manifest: Manifest): Buffer {
  return Buffer.from(`${BUNDLE_FORMAT}\n${canonicalJson(manifest)}`, 'utf8');
}

export function signBundle(code: string, fields: BundleFields, privateKey: KeyObject, now: Date = new Date()): SignedBundle {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SignError('E_KEY_INVALID', `signing needs an ed25519 private key, got a ${privateKey.asymmetricKeyType ?? ''} ${privateKey.type} key`);
  }
  parseVersion(fields.fw);
  const { name, kind, fw, profile, deviceId, baud } = fields;
  const manifest: Manifest = { name, kind, fw, profile, deviceId, baud, ...codeDigest(code), keyId: keyId(privateKey), signedAt: now.toISOString() };
  const bundle: SignedBundle = { format: BUNDLE_FORMAT, manifest, signature: sign(null, signingPayload(manifest), privateKey).toString('base64'), code };
  // Sign only what a verifier will accept.
  const problems = envelopeProblems(bundle);
  if (problems.length > 0) throw new SignError('E_BUNDLE_MALFORMED', `refusing to sign:\n${describeProblems(name, problems)}`, { field: problems[0]!.field, fields: problems.map((p) => p.field) });
  return bundle;
}
