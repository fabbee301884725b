/**
 * Every fuzz target on every `npm test`: its seeds, 300 cases from a fixed seed (the same on
 * every CI run) and 300 from a seed that changes each run (printed when it fails, to repeat
 * with `npm run fuzz -- --seed S NAME`). `npm run fuzz` runs 100,000 per target.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzTarget } from './fuzz-run.js';
import { TARGETS } from './targets/index.js';

const FIXED_SEED = 20260621;
const RUNS = 300;

for (const target of TARGETS) {
  test(`${target.name}: ${target.parser} answers every seed and ${RUNS} fixed-seed cases with a value or its typed error, in bounded time and memory`, async () => {
    const r = await fuzzTarget(target, { runs: RUNS, seed: FIXED_SEED });
    assert.equal(r.failures, [], r.failures.join('\n'));
  });
  test(`${target.name}: ${RUNS} cases from a rotating seed`, async () => {
    const seed = Date.now() % 2 ** 31;
    const r = await fuzzTarget(target, { runs: RUNS, seed, withSeeds: false });
    assert.equal(r.failures, [], `seed ${seed} (repeat with: npm run fuzz -- --seed ${seed} --runs ${RUNS} ${target.name})\n${r.failures.join('\n')}`);
  });
}

test.run();
