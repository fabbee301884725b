/**
 * Ed25519 signing keys as files: BASE.key (PKCS#8 PEM, mode 0600, stays with whoever releases
 * firmware) and BASE.pub (SPKI PEM, copied to every technician laptop's trusted directory).
 * A key's id is the first 16 hex digits of SHA-256 over its raw 32-byte public key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignError } from './sign-error.js';
import { writeFileAtomically } from '../../gateway/state/durable-file.js';

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface WrittenKeyPair {
  keyId: string;
  privateFile: string;
  publicFile: string;
}

export function generateSigningKey(): SigningKeyPair {
  return generateKeyPairSync('ed25519');
}

/** The raw 32 bytes of an ed25519 public key (its JWK `x`). */
function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new SignError('E_KEY_INVALID', `expected an ed25519 public key, got ${publicKey.asymmetricKeyType ?? publicKey.type}`);
  return Buffer.from(jwk.x, 'base64url');
}

/** First 16 hex digits of sha256(raw public key). A private key is taken as its public half. */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

/** Writes BASE.key and BASE.pub for a new key pair; refuses to replace either without force. */
export function writeKeyPair(basePath: string, options: { force?: boolean } = {}): WrittenKeyPair {
  const privateFile = `${basePath}.key`;
  const publicFile = `${basePath}.pub`;
  const existing = [privateFile, publicFile].filter((f) => fs.existsSync(f));
  if (existing.length > 0 && !options.force) {
    throw new SignError('E_KEY_EXISTS', `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; ` +
      'replacing a release key orphans every node signed with it. Choose another --out, or pass --force to replace it', { file: existing[0]! });
  }
  fs.mkdirSync(path.dirname(path.resolve(privateFile)), { recursive: true });
  const { privateKey, publicKey } = generateSigningKey();
  writeFileAtomically(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  writeFileAtomically(publicFile, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  return { keyId: keyId(publicKey), privateFile, publicFile };
}

function readKeyText(file: string, what: string, fd: number): string {
  try {
    return fs.readFileSync(fd, 'utf8');
  } catch (err) {
    throw new SignError('E_KEY_INVALID', `cannot read the ${what} ${file}: ${(err as Error).message}`, { file });
  } finally {
    fs.closeSync(fd);
  }
}

function open(file: string, what: string, hint: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SignError('E_KEY_MISSING', `no ${what} at ${file}; ${hint}`, { file });
    throw new SignError('E_KEY_INVALID', `cannot open the ${what} ${file}: ${(err as Error).message}`, { file });
  }
}

function requireEd25519(key: KeyObject, file: string, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SignError('E_KEY_INVALID', `${file} holds an ${key.asymmetricKeyType ?? 'unknown'} key; kerb signs with ed25519 ${what}s made by \`kerb keygen\``, { file });
  }
  return key;
}

/**
 * The private key to sign with. Refused when group or others may read it (the file is then no
 * longer a secret), when it is missing, or when it is not an ed25519 PKCS#8 PEM.
 */
export function readPrivateKey(file: string): KeyObject {
  const fd = open(file, 'private key', 'make one with `kerb keygen --out BASE` and pass BASE.key');
  const mode = fs.fstatSync(fd).mode & 0o777;
  const text = readKeyText(file, 'private key', fd);
  if (text.includes('PUBLIC KEY-----')) {
    throw new SignError('E_KEY_INVALID', `${file} is a public key; sign with the private half (BASE.key from \`kerb keygen\`)`, { file });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SignError('E_KEY_PERMISSIONS', `private key ${file} can be read or changed by group or others (mode ${mode.toString(8).padStart(4, '0')}); ` +
      `a signing key must be private: run \`chmod 600 ${file}\`, and if others could read it, make a new key`, { file });
  }
  try {
    return requireEd25519(createPrivateKey(text), file, 'private key');
  } catch (err) {
    if (err instanceof SignError) throw err;
    throw new SignError('E_KEY_INVALID', `${file} is not a PEM private key (${(err as Error).message}); expected BASE.key from \`kerb keygen\``, { file });
  }
}

/** A public key (BASE.pub). A private key here is refused: it does not belong on a laptop. */
export function readPublicKey(file: string): KeyObject {
  const text = readKeyText(file, 'public key', open(file, 'public key', 'copy the release key\'s .pub there'));
  if (text.includes('PRIVATE KEY-----')) {
    throw new SignError('E_KEY_INVALID', `${file} holds a private key; only the .pub belongs here: delete this copy and use BASE.pub`, { file });
  }
  try {
    return requireEd25519(createPublicKey(text), file, 'public key');
  } catch (err) {
    if (err instanceof SignError) throw err;
    throw new SignError('E_KEY_INVALID', `${file} is not a PEM public key (${(err as Error).message}); expected BASE.pub from \`kerb keygen\``, { file });
  }
}
