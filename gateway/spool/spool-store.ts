/**
 * Every statement the spool runs on its tables, prepared once. The Spool decides what to do;
 * this file only knows how to say it in SQL, and in which transaction: `durable` commits fsync
 * the WAL (a stored message must survive a power cut), `relaxed` ones do not (deletions and
 * counters whose loss on a power cut only makes a message come back and be sent again).
 */
import type Database from 'better-sqlite3';
import { DROP_REASONS, noDrops, type DropReason, type MessageClass } from '../uplink/message-queue.js';
import { CLASS_CODE, CLASS_OF_CODE } from './schema.js';
import { SpoolError } from './spool-error.js';

/** What the index holds about a message: enough for bounds and expiry without the payload. */
export interface IndexEntry {
  id: number;
  cls: MessageClass;
  bytes: number;
  created: number;
}

export interface StoredMessage extends IndexEntry {
  topic: string;
  payload: Buffer;
  refusals: number;
}

export interface ClassTotals {
  cls: MessageClass;
  count: number;
  bytes: number;
  maxId: number;
}

export class SpoolStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database, private readonly file: string) {
    this.stmt = {
      totals: db.prepare('SELECT cls, count(*) AS count, total(bytes) AS bytes, max(id) AS maxId FROM messages GROUP BY cls'),
      drops: db.prepare('SELECT reason, count FROM drops'),
      after: db.prepare('SELECT id, bytes, created, topic, payload, refusals FROM messages WHERE cls = ? AND id > ? ORDER BY cls, id LIMIT 1'),
      walk: db.prepare('SELECT id, bytes, created FROM messages WHERE cls = ? AND id > ? ORDER BY cls, id'),
      insert: db.prepare('INSERT INTO messages (id, cls, created, bytes, topic, payload) VALUES (?, ?, ?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM messages WHERE id = ?'),
      refusals: db.prepare('UPDATE messages SET refusals = ? WHERE id = ?'),
      countDrop: db.prepare('INSERT INTO drops (reason, count) VALUES (?, ?) ON CONFLICT (reason) DO UPDATE SET count = count + excluded.count'),
      relaxed: db.prepare('PRAGMA synchronous = NORMAL'),
      full: db.prepare('PRAGMA synchronous = FULL'),
    };
  }

  /** Count, payload bytes and highest id per class: one pass over the index, at open. */
  totals(): ClassTotals[] {
    const rows = this.stmt.totals.all() as Array<{ cls: number; count: number; bytes: number; maxId: number }>;
    return rows.map((r) => ({ cls: CLASS_OF_CODE[r.cls]!, count: r.count, bytes: r.bytes, maxId: r.maxId }));
  }

  drops(): Record<DropReason, number> {
    const counts = noDrops();
    for (const row of this.stmt.drops.all() as Array<{ reason: string; count: number }>) {
      if ((DROP_REASONS as readonly string[]).includes(row.reason)) counts[row.reason as DropReason] = row.count;
    }
    return counts;
  }

  /** The first message of the class after `afterId`: an index seek, whatever the backlog. */
  after(cls: MessageClass, afterId: number): StoredMessage | undefined {
    const row = this.stmt.after.get(CLASS_CODE[cls], afterId) as Omit<StoredMessage, 'cls'> | undefined;
    return row === undefined ? undefined : { ...row, cls };
  }

  /**
   * The class's messages after `afterId` in id order, from the index alone. Stop early with
   * `break`; nothing may be written until the walk has ended.
   */
  *walk(cls: MessageClass, afterId: number): Generator<IndexEntry> {
    for (const row of this.stmt.walk.iterate(CLASS_CODE[cls], afterId) as IterableIterator<Omit<IndexEntry, 'cls'>>) yield { ...row, cls };
  }

  insert(id: number, cls: MessageClass, topic: string, payload: Buffer, created: number): void {
    this.stmt.insert.run(id, CLASS_CODE[cls], created, payload.length, topic, payload);
  }

  remove(ids: Iterable<number>): void {
    for (const id of ids) this.stmt.remove.run(id);
  }

  setRefusals(id: number, refusals: number): void {
    this.stmt.refusals.run(refusals, id);
  }

  countDrops(counts: Partial<Record<DropReason, number>>): void {
    for (const [reason, n] of Object.entries(counts)) if (n !== undefined && n > 0) this.stmt.countDrop.run(reason, n);
  }

  /** Runs `work` in one transaction committed with an fsync of the WAL. */
  durable(work: () => void): void {
    this.commit(work);
  }

  /** Runs `work` in one transaction that is not fsynced: safe against a crash, not a power cut. */
  relaxed(work: () => void): void {
    this.stmt.relaxed.run();
    try {
      this.commit(work);
    } finally {
      this.stmt.full.run();
    }
  }

  private commit(work: () => void): void {
    try {
      this.db.transaction(work)();
    } catch (err) {
      throw new SpoolError('E_SPOOL_WRITE', this.file, `could not commit to the spool: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Copies the WAL into the database and empties it, then closes the file (even if that failed). */
  close(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}
