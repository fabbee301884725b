/**
 * The journal of held batches: written in the boot's monotonic clock as batches are held, read
 * back in the next process's clock only under the same boot id, gone once they were sent; a torn
 * last record (a crash mid-append) or a damaged one is left out and the rest kept; a journal from
 * another boot, or one without a readable header, is set aside with the reason, never sent and
 * never deleted. And the system frame really is shared between two processes of one boot.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../hil-tests/harness/temp-dir.js';
import type { HeldBatch } from '../gateway.js';
import { memoryLogger } from '../log/logger.js';
import { HELD_FILE, heldRecord, HeldJournalFile, systemFrame, type MonotonicFrame } from './held-for-clock.js';

/** A process whose clock started `originMs` after boot. */
function frameAt(originMs: number, bootId = 'boot-a'): MonotonicFrame {
  return { bootId, toBoot: (t) => t + originMs, fromBoot: (ms) => ms - originMs };
}

function batch(start: number, eventTime: number, cls: HeldBatch['cls'] = 'alert'): HeldBatch {
  return {
    topic: 'kerb/v1/s/gw/batch', cls,
    windows: [{
      device: 'bin-01', kind: 'bin', start, end: start + 60_000,
      metric: { name: 'fill', kind: 'gauge', unit: '%', scale: 0 },
      // A gauge with no samples: Infinity and NaN must come back as they went.
      stats: { kind: 'gauge', n: 0, min: Infinity, max: -Infinity, mean: NaN, last: NaN },
    }],
    events: [{ device: 'bin-01', kind: 'bin', event: { type: 'event', name: 'fire', severity: 'alert', value: 91, time: eventTime, detail: 'temperature' } }],
  };
}

/** A journal as a process left it: each batch appended, then nothing (a crash) or close(). */
function written(dir: string, frame: MonotonicFrame, batches: HeldBatch[]): HeldJournalFile {
  const journal = new HeldJournalFile(dir, frame, memoryLogger().log);
  batches.forEach((b, i) => journal.added(b, batches.slice(0, i + 1)));
  return journal;
}

test('held by one process and restored by the next of the same boot: the same instants, in the new clock', () => {
  const dir = tempDir('kerb-held-');
  // The first process started 10 s after boot and held a batch from 5 s to 65 s of its clock; it
  // crashed without closing anything.
  written(dir, frameAt(10_000), [batch(5_000, 30_000)]);
  const { log, records } = memoryLogger();
  // The next one started 200 s after boot: the same instants are 195 s and 170 s before its origin.
  const next = new HeldJournalFile(dir, frameAt(200_000), log);
  const { batches, skipped } = next.restore();
  assert.is(skipped, 0);
  assert.is(batches.length, 1);
  const w = batches[0]!.windows[0]!;
  assert.is(w.start, 5_000 + 10_000 - 200_000);
  assert.is(w.end, 65_000 + 10_000 - 200_000);
  assert.is(batches[0]!.events[0]!.event.time, 30_000 + 10_000 - 200_000);
  assert.equal(w.stats, { kind: 'gauge', n: 0, min: Infinity, max: -Infinity, mean: NaN, last: NaN });
  assert.ok(records.some((r) => r.event === 'clock.held-restored' && r.batches === 1));

  // Still held, so still journaled; one more, then a third process takes both.
  next.added(batch(-1_000, -500), [...batches, batch(-1_000, -500)]);
  next.close();
  const third = new HeldJournalFile(dir, frameAt(300_000), log).restore().batches;
  assert.equal(third.map((b) => b.windows[0]!.start), [5_000 + 10_000 - 300_000, -1_000 + 200_000 - 300_000]);
});

test('once sent, the journal is gone: nothing comes back at the next start', () => {
  const dir = tempDir('kerb-held-');
  const journal = written(dir, frameAt(0), [batch(0, 1), batch(60_000, 60_001)]);
  journal.cleared();
  assert.not.ok(fs.existsSync(path.join(dir, HELD_FILE)));
  const { log, records } = memoryLogger();
  assert.equal(new HeldJournalFile(dir, frameAt(5_000), log).restore(), { batches: [], skipped: 0 });
  assert.is(records.length, 0, 'nothing to say');
});

test('past the bound the journal is written anew with what is still held', () => {
  const dir = tempDir('kerb-held-');
  const journal = written(dir, frameAt(0), [batch(0, 1, 'telemetry'), batch(60_000, 60_001, 'alert')]);
  journal.replaced([batch(60_000, 60_001, 'alert'), batch(120_000, 120_001, 'telemetry')]);
  journal.close();
  const { batches } = new HeldJournalFile(dir, frameAt(0), memoryLogger().log).restore();
  assert.equal(batches.map((b) => [b.cls, b.windows[0]!.start]), [['alert', 60_000], ['telemetry', 120_000]]);
});

test('a torn last record (a crash mid-append) is left out, the rest kept, and appends go on cleanly', () => {
  const dir = tempDir('kerb-held-');
  written(dir, frameAt(0), [batch(0, 1), batch(60_000, 60_001)]).close();
  const file = path.join(dir, HELD_FILE);
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, Buffer.concat([whole, heldRecord(batch(120_000, 120_001)).subarray(0, 30)]));
  const { log, records } = memoryLogger();
  const journal = new HeldJournalFile(dir, frameAt(0), log);
  const { batches, skipped } = journal.restore();
  assert.equal(batches.map((b) => b.windows[0]!.start), [0, 60_000]);
  assert.is(skipped, 1);
  const damaged = records.find((r) => r.event === 'clock.held-damaged');
  assert.ok(damaged, 'said');
  assert.match(String(damaged!.reason), /torn/);
  assert.ok(fs.existsSync(`${file}.damaged`), 'the original kept aside');
  journal.added(batch(180_000, 180_001), [...batches, batch(180_000, 180_001)]);
  journal.close();
  const again = new HeldJournalFile(dir, frameAt(0), memoryLogger().log).restore();
  assert.equal(again.batches.map((b) => b.windows[0]!.start), [0, 60_000, 180_000]);
  assert.is(again.skipped, 0);
});

test('a damaged record says which field and why; the others are kept', () => {
  const dir = tempDir('kerb-held-');
  const file = path.join(dir, HELD_FILE);
  const bad = { ...batch(60_000, 1), windows: [{ ...batch(60_000, 1).windows[0], kind: 'tram' }] };
  fs.writeFileSync(file, Buffer.concat([heldRecord({ format: 1, bootId: 'boot-a' }), heldRecord(batch(0, 1)), heldRecord(bad), heldRecord(batch(120_000, 1))]));
  const { log, records } = memoryLogger();
  const { batches, skipped } = new HeldJournalFile(dir, frameAt(0), log).restore();
  assert.equal(batches.map((b) => b.windows[0]!.start), [0, 120_000]);
  assert.is(skipped, 1);
  assert.is(records.find((r) => r.event === 'clock.held-damaged')!.reason, 'batch 2.windows[0].kind: expected one of lamp, parking, bin');
});

test('a journal from another boot is set aside with the count, not sent and not deleted', () => {
  const dir = tempDir('kerb-held-');
  written(dir, frameAt(10_000, 'boot-a'), [batch(0, 1), batch(60_000, 60_001)]).close();
  const { log, records } = memoryLogger();
  assert.equal(new HeldJournalFile(dir, frameAt(10_000, 'boot-b'), log).restore().batches, []);
  const r = records.find((x) => x.event === 'clock.held-unstampable');
  assert.ok(r, 'logged');
  assert.is(r!.level, 'error');
  assert.is(r!.batches, 2);
  assert.is(r!.setAside, path.join(dir, `${HELD_FILE}.boot-a`));
  assert.ok(fs.existsSync(path.join(dir, `${HELD_FILE}.boot-a`)));
  assert.not.ok(fs.existsSync(path.join(dir, HELD_FILE)));
});

test('a second journal set aside never overwrites the first', () => {
  const dir = tempDir('kerb-held-');
  for (const origin of [10_000, 20_000]) {
    written(dir, frameAt(origin, 'boot-a'), [batch(origin, origin)]).close();
    new HeldJournalFile(dir, frameAt(0, 'boot-b'), memoryLogger().log).restore();
  }
  assert.equal(fs.readdirSync(dir).sort(), [`${HELD_FILE}.boot-a`, `${HELD_FILE}.boot-a-1`]);
});

test('a journal without a readable header is set aside, saying why', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['not CBOR records at all', Buffer.from('garbage'), /^header: byte 0: a record of \d+ bytes with 3 left \(torn\)$/],
    ['another format', heldRecord({ format: 9, bootId: 'boot-a' }), /^header: format: expected 1, found 9$/],
    ['no boot id', heldRecord({ format: 1 }), /^header: bootId: expected a string, found undefined$/],
  ];
  for (const [name, bytes, reason] of cases) {
    const dir = tempDir('kerb-held-');
    fs.writeFileSync(path.join(dir, HELD_FILE), bytes);
    const { log, records } = memoryLogger();
    assert.equal(new HeldJournalFile(dir, frameAt(0), log).restore().batches, [], name);
    const r = records.find((x) => x.event === 'clock.held-unreadable');
    assert.ok(r, `${name}: logged`);
    assert.match(String(r!.reason), reason, name);
    assert.ok(fs.existsSync(path.join(dir, `${HELD_FILE}.unreadable`)), `${name}: kept aside`);
  }
});

test('a journal that cannot be written says so once, and recovers with everything held', () => {
  const dir = tempDir('kerb-held-');
  const { log, records } = memoryLogger();
  const journal = new HeldJournalFile(path.join(dir, 'missing'), frameAt(0), log);
  const held = [batch(0, 1), batch(60_000, 1), batch(120_000, 1)];
  journal.added(held[0]!, held.slice(0, 1));
  journal.added(held[1]!, held.slice(0, 2));
  assert.is(records.filter((r) => r.event === 'clock.held-journal-failed').length, 1);
  assert.ok(journal.unwritten);
  fs.mkdirSync(path.join(dir, 'missing'));
  journal.added(held[2]!, held);
  assert.ok(records.some((r) => r.event === 'clock.held-journal-recovered'));
  assert.not.ok(journal.unwritten);
  journal.close();
  const restored = new HeldJournalFile(path.join(dir, 'missing'), frameAt(0), memoryLogger().log).restore().batches;
  assert.equal(restored.map((b) => b.windows[0]!.start), [0, 60_000, 120_000], 'the two held while it failed are on disk too');
});

test('the system frame: two processes of one boot agree on an instant; no boot id, no frame', () => {
  const frame = systemFrame();
  assert.ok(frame, 'this test runs on Linux');
  assert.match(frame!.bootId, /^[0-9a-f-]{36}$/);
  assert.ok(Math.abs(frame!.fromBoot(frame!.toBoot(1234.5)) - 1234.5) < 1e-6);
  const module = new URL('./held-for-clock.js', import.meta.url).href;
  const before = frame!.toBoot(performance.now());
  const child = Number(execFileSync(process.execPath, ['--input-type=module', '-e',
    `const { systemFrame } = await import(${JSON.stringify(module)}); const { performance } = await import('node:perf_hooks'); process.stdout.write(String(systemFrame().toBoot(performance.now())));`,
  ], { encoding: 'utf8' }));
  const after = frame!.toBoot(performance.now());
  // The child's instant, in its own clock, falls between ours (a 1 ms margin for rounding).
  assert.ok(child >= before - 1 && child <= after + 1, `${before} <= ${child} <= ${after}`);
  assert.ok(after - before > 10, 'the child took real time, so a frame off by its start-up would show');
  assert.is(systemFrame(path.join(tempDir('kerb-held-'), 'no-boot-id')), undefined);
});

test.run();
