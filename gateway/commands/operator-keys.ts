/**
 * The site's operator keys by key id: the first 16 hex digits of SHA-256 over the raw 32-byte
 * ed25519 public key, the same id `kerb keygen` prints (scripts/sign/keys.ts).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { Operator } from '../../device-profiles/types.js';

export interface OperatorKey {
  operator: string;
  keyId: string;
  key: KeyObject;
}

/** The key id of an ed25519 public key (a private key is taken as its public half). */
export function commandKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError(`expected an ed25519 key, got ${pub.asymmetricKeyType ?? pub.type}`);
  return createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex').slice(0, 16);
}

const cache = new WeakMap<readonly Operator[], Map<string, OperatorKey>>();

/** The keyring for a site's operators (built once per loaded site; the loader checked every key). */
export function operatorKeys(operators: readonly Operator[]): Map<string, OperatorKey> {
  let ring = cache.get(operators);
  if (ring === undefined) {
    ring = new Map();
    for (const op of operators) {
      const key = createPublicKey(op.publicKeyPem);
      const keyId = commandKeyId(key);
      ring.set(keyId, { operator: op.id, keyId, key });
    }
    cache.set(operators, ring);
  }
  return ring;
}
