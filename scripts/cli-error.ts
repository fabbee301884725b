/**
 * Exit codes of every `kerb` command (docs/cli.md lists them):
 * 0 done, 1 failed at run time, 2 usage error, 3 invalid configuration or input, 4 broker or serial
 * port unreachable. kerb flash and kerb provision add their own (scripts/flash/flash-error.ts).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, invalid: 3, unreachable: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error a command reports in one message and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
  }
}
