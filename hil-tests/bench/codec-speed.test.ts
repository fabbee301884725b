/**
 * The codec-speed measurement runs in a child process on exactly the sampled batches: the values
 * it counts are the sample's, both codecs' figures come back, and a sample that is not Kerb
 * batches fails with the decoder's error rather than a figure. How fast is never asserted.
 */
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { runBenchChild } from '../../scripts/bench/bench-child.js';
import { measureCodecSpeed, samplePayloads } from '../../scripts/bench/codec-speed.js';
import { standardWorkload } from '../../scripts/bench/standard-street.js';
import { valuesOf } from '../../scripts/bench/values.js';

const CHILD = fileURLToPath(new URL('../../scripts/bench/codec-speed-child.js', import.meta.url));

test('the sample spans the day: every k-th telemetry batch', () => {
  const w = standardWorkload({ hours: 2, seed: 7 });
  const telemetry = w.batches.filter((b) => b.topic.endsWith('/batch'));
  assert.ok(telemetry.length >= 10, `${telemetry.length} batches`);
  const picked = samplePayloads(w, 5);
  assert.is(picked.length, 5);
  const step = Math.floor(telemetry.length / 5);
  picked.forEach((p, i) => assert.is(p, telemetry[i * step]!.payload));
});

test('measured in a child on the sample: its values are the sample\'s, every figure positive', async () => {
  const w = standardWorkload({ hours: 1, seed: 7 });
  const picked = samplePayloads(w, 3);
  const values = picked.reduce((n, p) => n + valuesOf(decodeBatch(p)).length, 0);
  const s = await measureCodecSpeed(w, { batches: 3, rounds: 1 });
  assert.is(s.sampleBatches, 3);
  assert.is(s.sampleValues, values);
  for (const v of [...Object.values(s.encode), ...Object.values(s.decode), s.encodeSpeedup, s.decodeSpeedup]) {
    assert.ok(Number.isFinite(v) && v > 0, JSON.stringify(s));
  }
});

test('a payload that is not a Kerb batch fails the child with the decoder\'s reason', async () => {
  const input = JSON.stringify({ rounds: 1, payloads: [Buffer.from('not a batch').toString('base64')] });
  try {
    await runBenchChild({ script: CHILD, args: [], input, label: 'codec-speed: the child', timeoutMs: 30_000 });
    assert.unreachable('the child should have failed');
  } catch (err) {
    assert.match((err as Error).message, /codec-speed: the child exited with 1; stderr: codec-speed-child: BatchError: not well-formed CBOR/);
  }
});

test.run();
