/**
 * Every way `kerb flash` can fail, each with its own exit code and a next step for the
 * technician at the post (docs/technician-guide.md lists them). The flasher throws these at the
 * step that failed; the command prints the message and exits with the code.
 */
export type FlashErrorCode =
  | 'E_PORT_MISSING'
  | 'E_PORT_BUSY'
  | 'E_PORT_ACCESS'
  | 'E_PORT_IO'
  | 'E_NOT_ESPRUINO'
  | 'E_MEMORY'
  | 'E_TIMEOUT'
  | 'E_CHECKSUM'
  | 'E_NO_HELLO'
  | 'E_HELLO_MISMATCH'
  | 'E_BUNDLE'
  | 'E_ROLLBACK'
  | 'E_PROVISIONED'
  | 'E_INSTALL'
  | 'E_INTERRUPTED';

/** The exit code of each failure: distinct, so a script (or a support call) can tell them apart. */
export const FLASH_EXIT: Record<FlashErrorCode, number> = {
  E_PORT_IO: 1,
  E_PORT_MISSING: 10,
  E_PORT_BUSY: 11,
  E_PORT_ACCESS: 12,
  E_NOT_ESPRUINO: 13,
  E_MEMORY: 14,
  E_TIMEOUT: 15,
  E_CHECKSUM: 16,
  E_NO_HELLO: 17,
  E_HELLO_MISMATCH: 18,
  E_BUNDLE: 19,
  E_ROLLBACK: 20,
  E_PROVISIONED: 21,
  E_INSTALL: 22,
  // 128 + SIGINT, as shells report a command stopped by Ctrl-C.
  E_INTERRUPTED: 130,
};

export class FlashError extends Error {
  constructor(readonly code: FlashErrorCode, message: string, readonly next: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlashError';
  }

  get exitCode(): number {
    return FLASH_EXIT[this.code];
  }
}
