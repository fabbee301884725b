import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RuntimeSampler, type LagHistogram } from './runtime-metrics.js';

function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* a stuck event loop */ }
}
const turn = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a blocked event loop shows as lag in the next sample, and the window resets per sample', async () => {
  const sampler = new RuntimeSampler({ resolutionMs: 10 });
  sampler.start();
  await turn(30);
  block(120);
  await turn(30);
  const first = sampler.sample();
  assert.ok(first.eventLoopSamples > 0);
  assert.ok(first.eventLoopLagS.max >= 0.08, `max lag ${first.eventLoopLagS.max} s`);
  assert.ok(first.eventLoopLagS.p50 < first.eventLoopLagS.max);
  assert.ok(first.rssBytes > 0 && first.heapUsedBytes > 0 && first.heapTotalBytes >= first.heapUsedBytes);
  await turn(50);
  const second = sampler.sample();
  assert.ok(second.eventLoopLagS.max < 0.08, `the block was in the previous window: ${second.eventLoopLagS.max} s`);
  sampler.stop();
});

test('stopped, nothing is sampled: lag is 0 and no histogram is left enabled', async () => {
  const calls: string[] = [];
  const fake: LagHistogram = {
    enable: () => { calls.push('enable'); return true; },
    disable: () => { calls.push('disable'); return true; },
    reset: () => { calls.push('reset'); },
    percentile: (p: number) => p * 1e6, max: 9e7, mean: 2e7, count: 5,
  } as LagHistogram;
  const sampler = new RuntimeSampler({ histogram: () => fake, memoryUsage: () => ({ rss: 1, heapUsed: 2, heapTotal: 3 }) });
  assert.equal(sampler.sample().eventLoopLagS, { p50: 0, p99: 0, max: 0, mean: 0 });
  sampler.start();
  const s = sampler.peek();
  assert.equal(s.eventLoopLagS, { p50: 0.05, p99: 0.099, max: 0.09, mean: 0.02 });
  assert.equal([s.rssBytes, s.heapUsedBytes, s.heapTotalBytes], [1, 2, 3]);
  sampler.sample();
  sampler.stop();
  assert.equal(calls, ['enable', 'reset', 'disable']);
  assert.not.ok(sampler.running());
  assert.is(sampler.sample().eventLoopSamples, 0);
});

test('a bad resolution is refused', () => {
  assert.throws(() => new RuntimeSampler({ resolutionMs: 0 }), /resolutionMs must be an integer >= 1, got 0/);
});

test.run();
