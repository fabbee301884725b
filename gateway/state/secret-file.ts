/**
 * Secrets come from files, and a private key file that group or others may read is no longer a
 * secret: it is refused, naming the file and the fix (the same rule as scripts/sign/keys.ts for
 * firmware signing keys). The mode is taken from the open descriptor, so the file checked is the
 * file read. Key files Kerb makes (signing keys, lab certificates) are written by durable-file.ts.
 */
import fs from 'node:fs';

export type SecretFileErrorCode = 'E_SECRET_MISSING' | 'E_SECRET_UNREADABLE' | 'E_SECRET_PERMISSIONS';

export class SecretFileError extends Error {
  constructor(readonly code: SecretFileErrorCode, message: string, readonly file: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

/** Reads a file that must exist; `what` names it in errors ("TLS CA certificate"). */
export function readFileNamed(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SecretFileError('E_SECRET_MISSING', `no ${what} at ${file}`, file);
    throw new SecretFileError('E_SECRET_UNREADABLE', `cannot read the ${what} ${file}: ${(err as Error).message}`, file);
  }
}

/**
 * Reads a private key file, refusing it when group or others have any access to it
 * (mode & 0o077). `hint` tells how to make a new one when the file is missing.
 */
export function readPrivateFile(file: string, what: string, hint = ''): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SecretFileError('E_SECRET_MISSING', `no ${what} at ${file}${hint ? `; ${hint}` : ''}`, file);
    throw new SecretFileError('E_SECRET_UNREADABLE', `cannot open the ${what} ${file}: ${(err as Error).message}`, file);
  }
  try {
    const mode = fs.fstatSync(fd).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SecretFileError('E_SECRET_PERMISSIONS', `${what} ${file} can be read or changed by group or others (mode ${mode.toString(8).padStart(4, '0')}); ` +
        `a private key must be private: run \`chmod 600 ${file}\` (owned by the user the gateway runs as), and if others could read it, make a new key and certificate`, file);
    }
    return fs.readFileSync(fd);
  } catch (err) {
    if (err instanceof SecretFileError) throw err;
    throw new SecretFileError('E_SECRET_UNREADABLE', `cannot read the ${what} ${file}: ${(err as Error).message}`, file);
  } finally {
    fs.closeSync(fd);
  }
}
