/**
 * The one error type the spool throws, with a code the caller can act on:
 * - E_SPOOL_OPEN: the data directory cannot hold a spool at all (read-only, not a directory,
 *   locked by another gateway). The caller falls back to the in-memory outbox. A corrupt *file*
 *   never raises this: it is moved aside and replaced (see open-spool.ts).
 * - E_SPOOL_WRITE: a commit failed (disk full, I/O error); the message was not stored.
 * - E_SPOOL_CLOSED: the spool was used after close().
 */
export type SpoolErrorCode = 'E_SPOOL_OPEN' | 'E_SPOOL_WRITE' | 'E_SPOOL_CLOSED';

export class SpoolError extends Error {
  override readonly name = 'SpoolError';

  constructor(readonly code: SpoolErrorCode, readonly file: string, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message} (${file})`, options);
  }
}

/** The SQLite result code of an error from better-sqlite3 ('SQLITE_BUSY', ...), if it has one. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
