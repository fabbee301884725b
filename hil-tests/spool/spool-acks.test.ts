/**
 * What the spool does with acknowledgements beyond the contract: they leave memory at once but
 * the file in batches (one transaction per wave, for the SD card), so until their batch commits
 * they must be invisible to next(), the bounds and expiry; a crash before it only brings them
 * back to be sent again. Refusal counts are kept in the file too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool, type SpoolOptions } from '../../gateway/spool/spool.js';
import { tempDir } from '../harness/temp-dir.js';

const test = suite('spool: acknowledgements deleted in batches');
const T = Date.UTC(2026, 5, 21);
const kb = (n: number): Buffer => Buffer.alloc(n * 1024);
const root = tempDir('kerb-spool-acks-');
let n = 0;
const { log } = memoryLogger();
const open = (options: Partial<SpoolOptions> = {}, file = path.join(root, `q${++n}`, 'spool.db')) => openSpool(file, { log, ...options }).spool;

/** The files as a crash would leave them, opened as the restarted gateway would. */
function afterCrash(file: string): ReturnType<typeof open> {
  const copy = path.join(root, `crash${++n}`, 'spool.db');
  fs.mkdirSync(path.dirname(copy));
  fs.copyFileSync(file, copy);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  return open({}, copy);
}

test('a message acknowledged but not yet deleted is skipped by eviction, and never sent again', () => {
  const q = open({ limits: { maxBytes: 5 * 1024, alertReserveBytes: 1024 } });
  for (let i = 0; i < 4; i++) q.add(`t/${i}`, kb(1), 'telemetry', T + i);
  q.next();
  const t1 = q.next()!;
  q.next();
  q.acknowledge(t1.id);
  q.requeueInflight(); // t/0 and t/2 pending again; t/1's row still waits for its deletion batch
  assert.ok(q.add('t/4', kb(3), 'telemetry', T + 4), 'room made by evicting t/0 and t/2, stepping over t/1');
  assert.is(q.drops()['telemetry-full'], 2);
  assert.is(q.totalBytes(), 4 * 1024);
  assert.equal([q.next()?.topic, q.next()?.topic, q.next()?.topic], ['t/3', 't/4', undefined]);
  q.close();
});

test('a message acknowledged but not yet deleted is not expired (nor counted) again', () => {
  const q = open({ limits: { telemetryMaxAgeMs: 60_000 } });
  for (let i = 0; i < 3; i++) q.add(`t/${i}`, kb(1), 'telemetry', T);
  const t0 = q.next()!;
  q.next();
  q.acknowledge(t0.id);
  q.requeueInflight();
  assert.is(q.expire(T + 120_000), 2, 't/1 and t/2, not the acknowledged t/0');
  assert.is(q.drops()['telemetry-expired'], 2);
  assert.equal([q.totalBytes(), q.pendingCount(), q.oldest()], [0, 0, undefined]);
  q.close();
});

test('the oldest age ignores a message acknowledged but not yet deleted', () => {
  const q = open();
  q.add('t/0', kb(1), 'telemetry', T);
  q.add('t/1', kb(1), 'telemetry', T + 1_000);
  q.acknowledge(q.next()!.id);
  assert.is(q.oldest(), T + 1_000);
  q.close();
});

test('a crash before the deletion batch commits brings acknowledged messages back: resent, never lost', () => {
  const q = open({ deleteEvery: 4 });
  const file = q.file;
  for (let i = 0; i < 10; i++) q.add(`t/${i}`, kb(1), 'telemetry', T + i);
  for (let i = 0; i < 3; i++) q.acknowledge(q.next()!.id);
  const early = afterCrash(file);
  assert.is(early.pendingCount(), 10, 'three acknowledgements were not yet in the file: they come back');
  early.close();
  q.acknowledge(q.next()!.id); // the fourth: the batch of four is deleted in one transaction
  const late = afterCrash(file);
  assert.is(late.pendingCount(), 6);
  assert.is(late.next()?.topic, 't/4');
  late.close();
  q.close();
});

test('the next add() carries the deletions of the acknowledgements before it', () => {
  const q = open({ deleteEvery: 100 });
  q.add('t/0', kb(1), 'telemetry', T);
  q.acknowledge(q.next()!.id);
  q.add('t/1', kb(1), 'telemetry', T + 1);
  const crashed = afterCrash(q.file);
  assert.equal([crashed.pendingCount(), crashed.next()?.topic], [1, 't/1']);
  crashed.close();
  q.close();
});

test('refusal counts survive a restart', () => {
  let q = open();
  q.add('t/0', kb(1), 'telemetry', T);
  assert.not.ok(q.refuse(q.next()!.id, 3));
  const file = q.file;
  q.close();
  q = open({}, file);
  const msg = q.next()!;
  assert.is(msg.refusals, 1);
  assert.not.ok(q.refuse(msg.id, 3));
  assert.ok(q.refuse(msg.id, 3), 'the third refusal, counting the one before the restart, drops it');
  assert.equal([q.drops().refused, q.totalBytes()], [1, 0]);
  q.close();
});

test('using the spool after close() is a typed error', () => {
  const q = open();
  q.close();
  q.close(); // closing twice is harmless
  assert.throws(() => q.add('t/0', kb(1), 'telemetry', T), (e: unknown) => (e as { code?: string }).code === 'E_SPOOL_CLOSED');
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));
test.run();
