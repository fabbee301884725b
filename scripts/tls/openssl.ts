/**
 * The `openssl` command, which makes the lab CA's certificates: Node's crypto reads X.509
 * certificates but cannot write them. Every failure is a CaError that says what to do, the
 * missing command included.
 */
import { spawnSync } from 'node:child_process';

export type CaErrorCode = 'E_NO_OPENSSL' | 'E_OPENSSL_FAILED' | 'E_CA_EXISTS' | 'E_CA_MISSING' | 'E_CERT_EXISTS' | 'E_BAD_NAME' | 'E_BAD_VALIDITY';

export class CaError extends Error {
  constructor(readonly code: CaErrorCode, message: string) {
    super(message);
    this.name = 'CaError';
  }
}

export const INSTALL_OPENSSL = 'install it: sudo apt-get install openssl (Debian, Raspberry Pi OS, Ubuntu)';

/** Runs `openssl ARGS` in `cwd`; returns its standard output. */
export function openssl(args: string[], cwd: string, binary = 'openssl'): string {
  const run = spawnSync(binary, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.error !== undefined) {
    if ((run.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CaError('E_NO_OPENSSL', `the openssl command is not installed (kerb ca uses it to make certificates); ${INSTALL_OPENSSL}`);
    }
    throw new CaError('E_OPENSSL_FAILED', `could not run ${binary}: ${run.error.message}`);
  }
  if (run.status !== 0) {
    const detail = run.stderr.trim().split('\n').filter((l) => l !== '').slice(-3).join(' / ');
    throw new CaError('E_OPENSSL_FAILED', `openssl ${args[0]} failed (exit ${run.status}): ${detail}`);
  }
  return run.stdout;
}
