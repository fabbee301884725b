/**
 * The public keys a laptop trusts to sign firmware: every *.pub in the trusted directory
 * ($KERB_TRUST_DIR, else $XDG_CONFIG_HOME/kerb/trusted, else ~/.config/kerb/trusted), plus any
 * files named on the command line (`kerb flash --trust FILE`).
 */
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyId, readPublicKey } from './keys.js';
import { SignError } from './sign-error.js';

export interface TrustedKey {
  keyId: string;
  file: string;
  key: KeyObject;
}

export interface TrustOptions {
  /** Public key files trusted on top of the directory's. */
  files?: string[];
  /** The trusted directory; default: defaultTrustDir(env). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
}

export function defaultTrustDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KERB_TRUST_DIR) return path.resolve(env.KERB_TRUST_DIR);
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(config, 'kerb', 'trusted');
}

/** A path as people read it: ~ for the home directory. */
export function displayPath(file: string): string {
  const home = os.homedir();
  return file === home || file.startsWith(home + path.sep) ? '~' + file.slice(home.length) : file;
}

function pubFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // nothing trusted yet
    throw new SignError('E_TRUST_DIR', `cannot read the trusted-keys directory ${dir}: ${(err as Error).message}`, { file: dir });
  }
  return names.filter((n) => n.endsWith('.pub')).sort().map((n) => path.join(dir, n));
}

/** Every trusted key, once each (the same .pub in the directory and on the command line counts once). */
export function loadTrustedKeys(options: TrustOptions = {}): TrustedKey[] {
  const dir = options.dir ?? defaultTrustDir(options.env);
  const keys: TrustedKey[] = [];
  for (const file of [...(options.files ?? []).map((f) => path.resolve(f)), ...pubFilesIn(dir)]) {
    const key = readPublicKey(file);
    const id = keyId(key);
    if (!keys.some((k) => k.keyId === id)) keys.push({ keyId: id, file, key });
  }
  return keys;
}
