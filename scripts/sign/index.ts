/** Signed firmware bundles (issue 7): keys, the kerb-bundle/1 envelope, verification, versions. */
export { canonicalJson } from './canonical-json.js';
export { BUNDLE_FORMAT, codeDigest, parseBundleFile, serializeBundle, type Manifest, type ParsedBundle, type SignedBundle } from './envelope.js';
export { generateSigningKey, keyId, readPrivateKey, readPublicKey, writeKeyPair, type SigningKeyPair, type WrittenKeyPair } from './keys.js';
export { compareVersions, parseVersion, type Version } from './semver.js';
export { signBundle, signingPayload, type BundleFields } from './sign-bundle.js';
export { SignError, type SignErrorCode } from './sign-error.js';
export { defaultTrustDir, displayPath, loadTrustedKeys, type TrustedKey, type TrustOptions } from './trust-store.js';
export { verifyBundle, type VerifyFailureCode, type VerifyOptions, type VerifyResult } from './verify-bundle.js';
