/**
 * The spool's file: its settings and its tables. Every choice here is about an SD card that
 * loses power and wears out with writes; docs/spool.md gives the measurements behind them.
 */
import type Database from 'better-sqlite3';
import type { MessageClass } from '../uplink/message-queue.js';

/** Bumped on any change to the tables; a file with another version is moved aside, not migrated. */
export const SCHEMA_VERSION = 1;

/**
 * 512-byte pages, SQLite's smallest. Every commit rewrites a few pages besides the payload
 * (page 1, a table leaf, an index leaf, now and then an interior page); the smaller the page, the
 * less that costs, while a 1–4 KB batch still fills its overflow pages almost to the byte.
 * Measured bytes written per byte stored: 2.9× at 512, 3.4× at 1 KiB, 4.9× at 2 KiB (docs/spool.md).
 * Only takes effect when the file is created.
 */
export const PAGE_SIZE = 512;
/** Pages in the WAL before it is copied back into the database (512 KiB). Larger saved nothing measurable. */
export const WAL_AUTOCHECKPOINT_PAGES = 1000;
/** A WAL that grew past this in one large transaction is cut back after its checkpoint. */
export const JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/** Classes as stored: alerts sort before telemetry, so one index serves next() for both. */
export const CLASS_CODE: Record<MessageClass, number> = { alert: 0, telemetry: 1 };
export const CLASS_OF_CODE: readonly MessageClass[] = ['alert', 'telemetry'];

/**
 * Settings made before the file is read: they write nothing, so a file that then fails its
 * check is moved aside as it was found (a foreign database is not converted to WAL first).
 */
export function applyReadSettings(db: Database.Database): void {
  // One process owns the spool: a second gateway on the same data directory gets SQLITE_BUSY
  // instead of sending the same batches twice, and no -shm file is ever created or written.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma(`page_size = ${PAGE_SIZE}`); // takes effect only when the file is created
}

/** Settings for a file that passed its check; WAL before `synchronous` (this build's WAL default is NORMAL). */
export function applyWriteSettings(db: Database.Database): void {
  db.pragma('auto_vacuum = NONE'); // no pointer-map pages to rewrite; freed pages are reused
  db.pragma('journal_mode = WAL');
  // Each commit fsyncs the WAL: what add() accepted survives a power cut. Deletions switch to
  // NORMAL for their own transactions (spool-store.ts): losing one only causes a resend.
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = OFF'); // freed pages are not overwritten with zeros
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
}

/**
 * The tables of a new spool.
 * - `messages.id` is assigned by the spool (max id + 1 at open, then counting up), not by
 *   AUTOINCREMENT, whose sqlite_sequence row would be one more page written per commit.
 * - `payload` is the last column, so reading the others never walks its overflow pages.
 * - The index covers what the bounds, expiry and start-up totals read (cls, id, bytes,
 *   created), so those never touch the table; next() seeks it by (cls, id).
 */
export function createSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE drops (reason TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE messages (
      id INTEGER PRIMARY KEY,
      cls INTEGER NOT NULL CHECK (cls IN (0, 1)),
      created INTEGER NOT NULL,
      refusals INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER NOT NULL,
      topic TEXT NOT NULL,
      payload BLOB NOT NULL
    );
    CREATE INDEX messages_by_class ON messages (cls, id, bytes, created);
  `);
  db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
}
