/** How a SignError ends a `kerb` command: one message and the exit code docs/cli.md gives it. */
import { CliError, EXIT, type ExitCode } from '../cli-error.js';
import { SignError, type SignErrorCode } from './sign-error.js';

export function signErrorExit(code: SignErrorCode): ExitCode {
  if (code === 'E_VERSION_INVALID') return EXIT.usage;
  if (code === 'E_KEY_EXISTS') return EXIT.failed;
  return EXIT.invalid;
}

/** Runs `fn`, turning a SignError into the CliError the command exits with. */
export function asCli<T>(fn: () => T, prefix = ''): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SignError) throw new CliError(prefix + err.message, signErrorExit(err.code));
    throw err;
  }
}
