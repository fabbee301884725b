/**
 * The spool answers pendingCount() and totalBytes() from counters in memory, so they must never
 * drift from what the file holds. 10,000 messages go through a random mix of every operation
 * (evictions, expiry, refusals, requeues, restarts included); again and again the counters are
 * compared with a fresh SELECT over a copy of the live files.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool, type Spool } from '../../gateway/spool/spool.js';
import { Random } from '../harness/random.js';
import { tempDir } from '../harness/temp-dir.js';

const MESSAGES = 10_000;
const limits = { maxBytes: 96 * 1024, alertReserveBytes: 16 * 1024, telemetryMaxAgeMs: 600_000, alertMaxAgeMs: 1_800_000 };

/** What the file holds, read from a copy of the database and its WAL as a crash would leave them. */
function countInFile(file: string, scratch: string): { count: number; bytes: number } {
  fs.copyFileSync(file, scratch);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${scratch}-wal`);
  else fs.rmSync(`${scratch}-wal`, { force: true });
  const db = new Database(scratch);
  const row = db.prepare('SELECT count(*) AS count, total(bytes) AS bytes FROM messages').get() as { count: number; bytes: number };
  db.close();
  return row;
}

test(`counters match a fresh SELECT through ${MESSAGES} messages of adds, acks, drops and restarts`, () => {
  const dir = tempDir('kerb-spool-counters-');
  const file = path.join(dir, 'spool.db');
  const scratch = path.join(dir, 'copy.db');
  const { log } = memoryLogger();
  const rng = new Random(3);
  let spool: Spool = openSpool(file, { limits, log }).spool;
  const inflight: number[] = [];
  let now = Date.UTC(2026, 5, 21);
  let added = 0;
  let checks = 0;
  for (let step = 1; added < MESSAGES; step++) {
    now += rng.int(1_000, 5_000);
    const roll = rng.next();
    if (roll < 0.45) {
      added++;
      spool.add(`t/${added}`, Buffer.alloc(rng.int(200, 4_000), added & 0xff), rng.chance(0.1) ? 'alert' : 'telemetry', now);
    } else if (roll < 0.7) {
      const msg = spool.next();
      if (msg !== undefined) inflight.push(msg.id);
    } else if (roll < 0.9) {
      const id = inflight.splice(rng.int(0, Math.max(0, inflight.length - 1)), 1)[0];
      spool.acknowledge(id ?? 999_999_999); // sometimes an id the spool never gave out
    } else if (roll < 0.93) {
      if (inflight.length > 0) spool.refuse(rng.pick(inflight), 2);
    } else if (roll < 0.95) {
      spool.requeueInflight();
      inflight.length = 0;
    } else {
      spool.expire(now);
    }
    if (step % 100 === 0) {
      spool.expire(now); // also commits the pending deletions, so the copy shows what memory says
      const inFile = countInFile(file, scratch);
      assert.equal(
        { count: spool.pendingCount() + spool.inflightCount(), bytes: spool.totalBytes() }, inFile,
        `step ${step}: counters in memory match the file`,
      );
      checks++;
    }
    if (step % 2_000 === 0) {
      spool.close(); // a restart: in flight becomes pending, counters are read back from the file
      spool = openSpool(file, { limits, log }).spool;
      inflight.length = 0;
    }
  }
  const drops = spool.drops();
  spool.close();
  assert.ok(checks >= 200, `${checks} comparisons`);
  assert.ok(drops['telemetry-full'] > 100 && drops['telemetry-expired'] > 0 && drops.refused > 0, `every kind of drop happened: ${JSON.stringify(drops)}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
