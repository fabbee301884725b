/**
 * What the spool finds at start-up after things went wrong: a file that is not a spool is moved
 * aside, logged with its reason and replaced by a fresh working spool; a WAL
 * left by a writer that never closed gives back every committed message; only a directory that
 * cannot hold a spool at all throws, with a code the caller falls back on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from '../../gateway/log/logger.js';
import { SpoolError } from '../../gateway/spool/spool-error.js';
import { openSpool } from '../../gateway/spool/spool.js';
import { tempDir } from '../harness/temp-dir.js';

const test = suite('spool recovery at start-up');
const T = Date.UTC(2026, 5, 21, 12, 0, 0, 250);
const root = tempDir('kerb-spool-recovery-');
let dirs = 0;
const freshFile = (): string => path.join(root, `case${++dirs}`, 'spool.db');

/** A real spool holding `n` telemetry messages of 3 KB, closed cleanly. */
function realSpool(file: string, n: number): void {
  const { spool } = openSpool(file, { log: memoryLogger().log });
  for (let i = 0; i < n; i++) spool.add(`t/${i}`, crypto.randomBytes(3000), 'telemetry', T + i);
  spool.close();
}

/** Opens `file`, which must be replaced; checks the move, the log line and the fresh spool. */
function assertRecovered(file: string, reasonStart: string, original: Buffer): void {
  const { log, records } = memoryLogger();
  const { spool, recovered } = openSpool(file, { log, wallTime: () => T });
  assert.ok(recovered, 'the file was replaced');
  assert.ok(recovered.reason.startsWith(reasonStart), `reason "${recovered.reason}" starts with "${reasonStart}"`);
  assert.is(recovered.movedTo, `${file}.corrupt-20260621T120000.250Z`);
  assert.ok(fs.readFileSync(recovered.movedTo).equals(original), 'the bad file is kept, byte for byte, for a post-mortem');
  const logged = records.find((r) => r.event === 'spool.recovered');
  assert.ok(logged, 'the recovery is logged');
  assert.equal([logged.level, logged.file, logged.movedTo, logged.reason], ['error', file, recovered.movedTo, recovered.reason]);
  assert.is(spool.pendingCount(), 0, 'a fresh spool');
  assert.ok(spool.add('t/new', Buffer.from('hello'), 'telemetry', T));
  const msg = spool.next()!;
  assert.equal([msg.topic, msg.payload.toString()], ['t/new', 'hello']);
  spool.acknowledge(msg.id);
  spool.close();
  const again = openSpool(file, { log });
  assert.is(again.recovered, undefined, 'the fresh spool opens cleanly next time');
  again.spool.close();
}

test('a file of random bytes, a garbage WAL beside it, is moved aside and replaced', () => {
  const file = freshFile();
  fs.mkdirSync(path.dirname(file));
  const garbage = crypto.randomBytes(64 * 1024);
  fs.writeFileSync(file, garbage);
  fs.writeFileSync(`${file}-wal`, crypto.randomBytes(8 * 1024));
  assertRecovered(file, 'not a database', garbage); // the fresh spool is empty: nothing was replayed into it
});

test('a real spool cut short (a torn copy, a failing card) is moved aside and replaced', () => {
  const file = freshFile();
  realSpool(file, 200);
  const whole = fs.readFileSync(file);
  const cut = whole.subarray(0, Math.floor(whole.length / 2));
  fs.writeFileSync(file, cut);
  assertRecovered(file, 'corrupt', cut);
});

test('a real spool with a damaged page fails its integrity check and is replaced', () => {
  const file = freshFile();
  realSpool(file, 200);
  const bytes = fs.readFileSync(file);
  bytes.fill(0xa5, 8 * 1024, 8 * 1024 + 512); // scribble over part of a b-tree page, not the header
  fs.writeFileSync(file, bytes);
  assertRecovered(file, 'corrupt', bytes);
});

test('a valid SQLite file with another schema is moved aside, not written into', () => {
  const file = freshFile();
  fs.mkdirSync(path.dirname(file));
  const other = new Database(file);
  other.exec("CREATE TABLE readings (device TEXT, value REAL); INSERT INTO readings VALUES ('lamp-1', 0.5)");
  other.close();
  assertRecovered(file, 'unknown schema: no meta table', fs.readFileSync(file));
});

test('a spool from a newer schema version is moved aside, not misread', () => {
  const file = freshFile();
  realSpool(file, 3);
  const db = new Database(file);
  db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
  db.close();
  assertRecovered(file, 'unknown schema: version 99', fs.readFileSync(file));
});

test('something that cannot be opened as a file (a directory in its place) is moved aside', () => {
  const file = freshFile();
  fs.mkdirSync(file, { recursive: true });
  const { spool, recovered } = openSpool(file, { log: memoryLogger().log, wallTime: () => T });
  assert.ok(recovered?.reason.startsWith('unreadable'), recovered?.reason);
  assert.ok(fs.statSync(recovered!.movedTo).isDirectory());
  assert.ok(spool.add('t/0', Buffer.from('x'), 'telemetry', T));
  spool.close();
});

test('the WAL of a writer that died without closing gives back every committed message', () => {
  const file = freshFile();
  const { spool } = openSpool(file, { log: memoryLogger().log });
  const payloads = Array.from({ length: 50 }, () => crypto.randomBytes(2000));
  payloads.forEach((p, i) => spool.add(`t/${i}`, p, i % 10 === 0 ? 'alert' : 'telemetry', T + i));
  // The files as a power cut would leave them: copied while the writer still has them open.
  const crashed = path.join(path.dirname(freshFile()), 'spool.db');
  fs.mkdirSync(path.dirname(crashed));
  fs.copyFileSync(file, crashed);
  fs.copyFileSync(`${file}-wal`, `${crashed}-wal`);
  spool.close();
  assert.ok(fs.statSync(`${crashed}-wal`).size > 100 * 1024, 'the messages were only in the WAL, not yet checkpointed');

  const { log, records } = memoryLogger();
  const reopened = openSpool(crashed, { log });
  assert.is(reopened.recovered, undefined, `no recovery needed: ${JSON.stringify(records)}`);
  const q = reopened.spool;
  assert.is(q.pendingCount(), 50);
  const expected = [...payloads.keys()].sort((a, b) => Number(b % 10 === 0) - Number(a % 10 === 0) || a - b);
  for (const i of expected) {
    const msg = q.next()!;
    assert.equal([msg.topic, msg.payload.equals(payloads[i]!)], [`t/${i}`, true]);
  }
  q.close();
});

test('a data directory that cannot exist throws E_SPOOL_OPEN, so the caller can use memory', () => {
  const blocker = path.join(root, 'not-a-directory');
  fs.writeFileSync(blocker, 'a file where the data directory should be');
  const err = (() => {
    try {
      openSpool(path.join(blocker, 'gw', 'spool.db'), { log: memoryLogger().log });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.instance(err, SpoolError);
  assert.is((err as SpoolError).code, 'E_SPOOL_OPEN');
});

test('a spool in use by another gateway is not moved aside: E_SPOOL_OPEN, file untouched', () => {
  const file = freshFile();
  const first = openSpool(file, { log: memoryLogger().log }).spool;
  first.add('t/0', Buffer.from('kept'), 'telemetry', T);
  assert.throws(() => openSpool(file, { log: memoryLogger().log }), (e: unknown) => (e as SpoolError).code === 'E_SPOOL_OPEN');
  assert.equal(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('corrupt')), []);
  assert.is(first.next()?.payload.toString(), 'kept');
  first.close();
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));
test.run();
