import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random } from './random.js';

function draws(r: Random, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.next());
  return out;
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

test('the same seed gives the same sequence; another seed a different one', () => {
  assert.equal(draws(new Random(42), 50), draws(new Random(42), 50));
  assert.not.equal(draws(new Random(42), 50), draws(new Random(43), 50));
});

test('a fork is reproducible, differs per label and leaves the parent stream alone', () => {
  const parent = new Random(7);
  const a = draws(parent.fork('lamp-1'), 20);
  assert.equal(a, draws(new Random(7).fork('lamp-1'), 20));
  assert.not.equal(a, draws(parent.fork('lamp-2'), 20));
  assert.equal(draws(parent, 5), draws(new Random(7), 5));
});

test('uniform and int stay within their bounds and reach both ends of int', () => {
  const r = new Random(1);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const u = r.uniform(-2, 3);
    assert.ok(u >= -2 && u < 3);
    const k = r.int(1, 6);
    assert.ok(Number.isInteger(k) && k >= 1 && k <= 6);
    seen.add(k);
  }
  assert.is(seen.size, 6);
});

test('exponential waits average 1/rate', () => {
  const r = new Random(2);
  const xs = Array.from({ length: 20000 }, () => r.exponential(4));
  assert.ok(Math.abs(mean(xs) - 0.25) < 0.01, `mean ${mean(xs)}`);
  assert.ok(xs.every((x) => x >= 0));
});

test('normal has the requested mean and spread', () => {
  const r = new Random(3);
  const xs = Array.from({ length: 20000 }, () => r.normal(10, 2));
  const m = mean(xs);
  const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
  assert.ok(Math.abs(m - 10) < 0.05, `mean ${m}`);
  assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
});

test('lognormal has the requested median and is always positive', () => {
  const r = new Random(4);
  const xs = Array.from({ length: 20001 }, () => r.lognormal(45, 0.8)).sort((a, b) => a - b);
  assert.ok(xs[0]! > 0);
  assert.ok(Math.abs(xs[10000]! - 45) < 1.5, `median ${xs[10000]}`);
});

test('pick returns members and refuses an empty list', () => {
  const r = new Random(5);
  const items = ['a', 'b', 'c'];
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(r.pick(items));
  assert.equal([...seen].sort(), items);
  assert.throws(() => r.pick([]), /non-empty/);
});

test.run();
