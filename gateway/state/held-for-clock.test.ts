/**
 * Held batches across a process restart: written in the boot's monotonic clock and read back in
 * the next process's, only under the same boot id; a file from another boot or a damaged one is
 * set aside with the reason, never sent and never deleted. And the system frame really is shared
 * between two processes of one boot.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../hil-tests/harness/temp-dir.js';
import { encodeCbor } from '../batch/cbor.js';
import type { HeldBatch } from '../gateway.js';
import { memoryLogger } from '../log/logger.js';
import { HELD_FILE, loadHeld, saveHeld, systemFrame, type MonotonicFrame } from './held-for-clock.js';

/** A process whose clock started `originMs` after boot. */
function frameAt(originMs: number, bootId = 'boot-a'): MonotonicFrame {
  return { bootId, toBoot: (t) => t + originMs, fromBoot: (ms) => ms - originMs };
}

function batch(start: number, eventTime: number): HeldBatch {
  return {
    topic: 'kerb/v1/s/gw/batch', cls: 'alert',
    windows: [{
      device: 'bin-01', kind: 'bin', start, end: start + 60_000,
      metric: { name: 'fill', kind: 'gauge', unit: '%', scale: 0 },
      // A gauge with no samples: Infinity and NaN must come back as they went.
      stats: { kind: 'gauge', n: 0, min: Infinity, max: -Infinity, mean: NaN, last: NaN },
    }],
    events: [{ device: 'bin-01', kind: 'bin', event: { type: 'event', name: 'fire', severity: 'alert', value: 91, time: eventTime, detail: 'temperature' } }],
  };
}

test('saved by one process and loaded by the next of the same boot: the same instants, in the new clock', () => {
  const dir = tempDir('kerb-held-');
  const { log, records } = memoryLogger();
  // The first process started 10 s after boot and held a batch from 5 s to 65 s of its clock.
  saveHeld(dir, frameAt(10_000), [batch(5_000, 30_000)]);
  // The next one started 200 s after boot: the same instants are 195 s and 170 s before its origin.
  const held = loadHeld(dir, frameAt(200_000), log);
  assert.is(held.length, 1);
  const w = held[0]!.windows[0]!;
  assert.is(w.start, 5_000 + 10_000 - 200_000);
  assert.is(w.end, 65_000 + 10_000 - 200_000);
  assert.is(held[0]!.events[0]!.event.time, 30_000 + 10_000 - 200_000);
  assert.equal(w.stats, { kind: 'gauge', n: 0, min: Infinity, max: -Infinity, mean: NaN, last: NaN });
  assert.is(held[0]!.cls, 'alert');
  assert.not.ok(fs.existsSync(path.join(dir, HELD_FILE)), 'taken: a later start must not send them again');
  assert.ok(records.some((r) => r.event === 'clock.held-restored' && r.batches === 1));
  assert.equal(loadHeld(dir, frameAt(300_000), log), [], 'nothing left the second time');
});

test('a file from another boot is set aside with the count, not sent and not deleted', () => {
  const dir = tempDir('kerb-held-');
  const { log, records } = memoryLogger();
  saveHeld(dir, frameAt(10_000, 'boot-a'), [batch(0, 1), batch(60_000, 60_001)]);
  assert.equal(loadHeld(dir, frameAt(10_000, 'boot-b'), log), []);
  const r = records.find((x) => x.event === 'clock.held-unstampable');
  assert.ok(r, 'logged');
  assert.is(r!.level, 'error');
  assert.is(r!.batches, 2);
  assert.is(r!.setAside, path.join(dir, `${HELD_FILE}.boot-a`));
  assert.ok(fs.existsSync(path.join(dir, `${HELD_FILE}.boot-a`)));
  assert.not.ok(fs.existsSync(path.join(dir, HELD_FILE)));
});

test('a damaged file says which field and why, and is set aside', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['truncated', encodeCbor({ format: 1, bootId: 'boot-a', batches: [batch(0, 1)] }).subarray(0, 40), /CBOR|end/i],
    ['wrong format', encodeCbor({ format: 9, bootId: 'boot-a', batches: [] }), /^format: expected 1, found 9$/],
    ['a time that is not a number', encodeCbor({ format: 1, bootId: 'boot-a', batches: [{ ...batch(0, 1), events: [{ ...batch(0, 1).events[0], event: { name: 'fire', time: 'x' } }] }] }), /^batches\[0\]\.events\[0\]\.event\.time: expected a finite number, found "x"$/],
    ['an unknown kind', encodeCbor({ format: 1, bootId: 'boot-a', batches: [{ ...batch(0, 1), windows: [{ ...batch(0, 1).windows[0], kind: 'tram' }] }] }), /^batches\[0\]\.windows\[0\]\.kind: expected one of lamp, parking, bin$/],
  ];
  for (const [name, bytes, reason] of cases) {
    const dir = tempDir('kerb-held-');
    const { log, records } = memoryLogger();
    fs.writeFileSync(path.join(dir, HELD_FILE), bytes);
    assert.equal(loadHeld(dir, frameAt(0), log), [], name);
    const r = records.find((x) => x.event === 'clock.held-unreadable');
    assert.ok(r, `${name}: logged`);
    assert.is(r!.file, path.join(dir, HELD_FILE));
    assert.match(String(r!.reason), reason, name);
    assert.ok(fs.existsSync(path.join(dir, `${HELD_FILE}.unreadable`)), `${name}: kept aside`);
  }
});

test('no file: nothing held, nothing logged', () => {
  const { log, records } = memoryLogger();
  assert.equal(loadHeld(tempDir('kerb-held-'), frameAt(0), log), []);
  assert.is(records.length, 0);
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
