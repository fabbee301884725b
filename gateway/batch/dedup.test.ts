import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDedupDecoder, Deduplicator } from './dedup.js';
import { encodeBatch } from './encode.js';

test('a batch is new once per gateway, epoch and seq', () => {
  const d = new Deduplicator();
  assert.ok(d.firstSeen('g1', 1, 1));
  assert.not.ok(d.firstSeen('g1', 1, 1));
  assert.ok(d.firstSeen('g1', 2, 1), 'a new epoch starts seq again');
  assert.ok(d.firstSeen('g2', 1, 1), 'another gateway');
  assert.is(d.duplicates, 1);
});

test('out-of-order arrivals and resends after a reconnect are recognised', () => {
  const d = new Deduplicator();
  const fresh = [3, 1, 2, 5, 4, 2, 5, 6, 1].map((s) => d.firstSeen('g', 1, s));
  assert.equal(fresh, [true, true, true, true, true, false, false, true, false]);
});

test('memory stays bounded when a seq never arrives, and later seqs still dedup', () => {
  const d = new Deduplicator({ maxAbove: 100 });
  d.firstSeen('g', 1, 1);
  for (let s = 3; s < 1_000; s++) assert.ok(d.firstSeen('g', 1, s)); // seq 2 was dropped upstream
  assert.not.ok(d.firstSeen('g', 1, 500));
  assert.not.ok(d.firstSeen('g', 1, 999));
  const inner = (d as unknown as { seen: Map<string, Map<number, { above: Set<number> }>> }).seen.get('g')!.get(1)!;
  assert.ok(inner.above.size <= 100, `tracked ${inner.above.size}`);
});

test('the dedup decoder returns each batch once', () => {
  const decode = createDedupDecoder();
  const bytes = encodeBatch({ gateway: 'g', site: 's', epoch: 3, seq: 9, now: Date.UTC(2026, 0, 1), series: [], events: [] });
  assert.is(decode(bytes)?.seq, 9);
  assert.is(decode(bytes), undefined);
  assert.is(decode.dedup.duplicates, 1);
});

test.run();
