/**
 * Opens the spool's file at start-up, and never lets a bad file stop the gateway: a file that cannot
 * be read, is not a database, fails its integrity check or has a schema we do not know is closed,
 * moved aside (move-aside.ts), logged as an error naming the file and the reason, and replaced by
 * a fresh spool. Only a data directory that cannot hold any spool throws (E_SPOOL_OPEN), so the
 * caller can fall back to the in-memory outbox.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../log/logger.js';
import { checkSpool, type SpoolCheck } from './integrity.js';
import { moveAside } from './move-aside.js';
import { applyReadSettings, applyWriteSettings, createSchema } from './schema.js';
import { SpoolError, sqliteCode } from './spool-error.js';
import { SpoolStore } from './spool-store.js';

export interface SpoolFileOptions {
  log: Logger;
  /** Wall time for the name of a moved-aside file; default Date.now. */
  wallTime?: () => number;
}

export interface SpoolFile {
  store: SpoolStore;
  /** Set when the file found was unusable and was replaced by a fresh spool. */
  recovered?: { movedTo: string; reason: string };
}

/** How long to wait for a lock held by another process that is just exiting (a restart). */
const BUSY_TIMEOUT_MS = 500;
/** Errors that say the file is in use, not that it is bad: never a reason to move it aside. */
const IN_USE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
/** Errors that say the file itself is bad: the only ones that move it aside. */
const BAD_FILE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function openSpoolFile(file: string, options: SpoolFileOptions): SpoolFile {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (err) {
    throw new SpoolError('E_SPOOL_OPEN', file, `cannot create the data directory: ${(err as Error).message}`, { cause: err });
  }
  const first = tryOpen(file);
  let recovered: SpoolFile['recovered'];
  let db: Database.Database;
  if (first.verdict === 'usable') {
    db = first.db;
  } else {
    let movedTo: string;
    try {
      movedTo = moveAside(file, (options.wallTime ?? Date.now)());
    } catch (err) {
      throw new SpoolError('E_SPOOL_OPEN', file, `cannot move the unusable spool aside (${first.reason}): ${(err as Error).message}`, { cause: err });
    }
    options.log.error('spool.recovered', { file, movedTo, reason: first.reason });
    recovered = { movedTo, reason: first.reason };
    const fresh = tryOpen(file);
    if (fresh.verdict !== 'usable') throw new SpoolError('E_SPOOL_OPEN', file, `cannot create a fresh spool: ${fresh.reason}`);
    db = fresh.db;
  }
  const store = new SpoolStore(db, file);
  return recovered === undefined ? { store } : { store, recovered };
}

type Attempt = { verdict: 'usable'; db: Database.Database } | { verdict: 'unusable'; reason: string };

/** Opens and checks the file; a new or empty one gets its tables. Throws only when it is in use. */
function tryOpen(file: string): Attempt {
  let db: Database.Database | undefined;
  let check: SpoolCheck;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isFile()) return { verdict: 'unusable', reason: 'unreadable: not a regular file' };
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    applyReadSettings(db);
    check = checkSpool(db);
    if (check.verdict !== 'bad') applyWriteSettings(db);
    if (check.verdict === 'empty') createSchema(db);
  } catch (err) {
    db?.close();
    const code = sqliteCode(err);
    if (code !== undefined && IN_USE.has(code)) {
      throw new SpoolError('E_SPOOL_OPEN', file, 'the spool is in use by another process (is a second gateway running on this data directory?)', { cause: err });
    }
    // Only a file that is not a database or is corrupt is moved aside. Permissions, a read-only
    // card or an I/O error say nothing about the file's content: leave it where it is (the next
    // start may read it fine) and let the caller run on memory and say so.
    if (code === undefined || !BAD_FILE.has(code)) {
      throw new SpoolError('E_SPOOL_OPEN', file, `cannot open the spool, leaving it in place: ${describe(err)}`, { cause: err });
    }
    return { verdict: 'unusable', reason: describe(err) };
  }
  if (check.verdict === 'bad') {
    db.close();
    return { verdict: 'unusable', reason: check.reason };
  }
  return { verdict: 'usable', db };
}

function describe(err: unknown): string {
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB') return `not a database: ${message}`;
  if (code === 'SQLITE_CORRUPT') return `corrupt: ${message}`;
  return `unreadable: ${code === undefined ? '' : code + ' '}${message}`;
}
