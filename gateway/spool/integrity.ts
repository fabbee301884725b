/**
 * The start-up check: is this file a spool we can trust? PRAGMA quick_check verifies every
 * page and b-tree of the file (not that indexes match their tables, which integrity_check adds
 * at many times the cost), then the schema version must be ours. The answer is data, not an
 * exception, so open-spool.ts can move a bad file aside and carry on.
 */
import type Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.js';
import { sqliteCode } from './spool-error.js';

export type SpoolCheck =
  | { verdict: 'ok' }
  | { verdict: 'empty' } // a new or zero-length file: the tables are still to be made
  | { verdict: 'bad'; reason: string };

/** Problems beyond this many are not listed in the reason. */
const LISTED_PROBLEMS = 3;

export function checkSpool(db: Database.Database): SpoolCheck {
  const problems = db.pragma(`quick_check(${LISTED_PROBLEMS})`, { simple: false }) as Array<{ quick_check: string }>;
  const found = problems.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (found.length > 0) return { verdict: 'bad', reason: `corrupt: quick_check found ${found.join('; ')}` };

  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return { verdict: 'empty' };
  if (!tables.includes('meta')) return { verdict: 'bad', reason: `unknown schema: no meta table (tables: ${tables.slice(0, 5).join(', ')})` };
  let version: unknown;
  try {
    version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get();
  } catch (err) {
    return { verdict: 'bad', reason: `unknown schema: meta table unreadable (${sqliteCode(err) ?? String(err)})` };
  }
  if (version !== String(SCHEMA_VERSION)) {
    return { verdict: 'bad', reason: `unknown schema: version ${String(version ?? 'missing')}, this gateway reads ${SCHEMA_VERSION}` };
  }
  return { verdict: 'ok' };
}
