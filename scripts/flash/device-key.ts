/**
 * A node's own secret: 32 random bytes made on the technician's laptop at provisioning, written
 * to the node's Storage (`kerb.key`) and to a key file only its owner can read, for the gateway
 * that will host the node. Every node gets a fresh one: there is no default or shared key
 * anywhere in Kerb, and the key never appears in output or logs (only its fingerprint does).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FlashError } from './flash-error.js';

export const KEY_FILE_ON_NODE = 'kerb.key';

export interface DeviceKey {
  /** 64 hex digits. */
  hex: string;
  /** The first 16 hex digits of its SHA-256: safe to print, enough to tell keys apart. */
  fingerprint: string;
}

export function newDeviceKey(): DeviceKey {
  const hex = randomBytes(32).toString('hex');
  return { hex, fingerprint: fingerprint(hex) };
}

export function fingerprint(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 16);
}

/**
 * `<dir>/<deviceId>.key`, mode 0600, in two steps: staged beside it (created exclusively, never
 * through a link), then kept once the node has its copy, or discarded if it does not; so the
 * laptop never holds a key the node lacks, nor loses the one it has. An existing key is only
 * replaced with `force`.
 */
export function stageDeviceKey(dir: string, deviceId: string, key: DeviceKey, force: boolean): { keep(): string; discard(): void } {
  const file = path.join(dir, `${deviceId}.key`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(dir).mode & 0o077) !== 0) {
    throw new FlashError('E_PROVISIONED', `${dir} can be read by others; device keys must not be`, `chmod 700 ${dir}, or choose another --keys-dir`);
  }
  if (fs.existsSync(file) && !force) {
    throw new FlashError('E_PROVISIONED', `${file} already holds a key for ${deviceId}`,
      're-provisioning replaces the node\'s key, and the gateway must get the new one: kerb provision --force, if that is what you want');
  }
  const tmp = `${file}.new-${process.pid}`;
  fs.writeFileSync(tmp, `${key.hex}\n`, { mode: 0o600, flag: 'wx' });
  return {
    keep: () => {
      fs.renameSync(tmp, file);
      return file;
    },
    discard: () => fs.rmSync(tmp, { force: true }),
  };
}

/** The REPL expression that stores the id and the key on the node. */
export function storeIdentity(deviceId: string, key: DeviceKey): string {
  return `(function(){var t=require('Storage');t.write('kerb.id',${JSON.stringify(deviceId)});t.write(${JSON.stringify(KEY_FILE_ON_NODE)},${JSON.stringify(key.hex)});return 1;})()`;
}
