/**
 * `npm run fuzz`: every target with 100,000 generated cases (after its seeds), one child
 * process per target, as many at once as the machine has cores. Prints a table of cases,
 * failures, the slowest input and the largest allocation, then the failures in full; exits 1
 * on any failure.
 *
 *   npm run fuzz                                       all targets, 100,000 cases each, a fresh seed
 *   npm run fuzz -- --runs 5000 --seed 42 batch site   some targets, fewer cases, a given seed
 *   npm run fuzz -- --jobs 1                           one target at a time
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { fuzzTarget, reportLine, type FuzzReport } from './fuzz-run.js';
import { TARGETS } from './targets/index.js';

const args = process.argv.slice(2);
const options = new Map<string, string>();
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i]!.startsWith('--')) options.set(args[i]!.slice(2), args[++i] ?? '');
  else names.push(args[i]!);
}
const runs = Number(options.get('runs') ?? process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(options.get('seed') ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const jobs = Number(options.get('jobs') ?? os.availableParallelism());
const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
if (unknown.length > 0 || [...options.keys()].some((k) => !['runs', 'seed', 'jobs', 'child'].includes(k)) ||
  !Number.isInteger(runs) || runs < 0 || !Number.isInteger(seed) || !Number.isInteger(jobs) || jobs < 1) {
  process.stderr.write(`usage: npm run fuzz -- [--runs N] [--seed S] [--jobs J] [target ...]\ntargets: ${TARGETS.map((t) => t.name).join(', ')}\n`);
  process.exit(2);
}

/** A child runs one target and prints its report as the last line, as JSON. */
const child = options.get('child');
if (child !== undefined) {
  const report = await fuzzTarget(TARGETS.find((t) => t.name === child)!, { runs, seed });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

function inChild(name: string): Promise<FuzzReport> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', name, '--runs', String(runs), '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    p.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as FuzzReport);
      } catch {
        resolve({
          target: name, seed, runs, seeds: 0, cases: 0, maxMs: 0, maxMemoryBytes: 0, elapsedMs: 0,
          failures: [`the fuzzing process ended without a report (exit ${code}, signal ${signal}): a crash the runner could not catch (out of memory, a native fault)`],
        });
      }
    });
  });
}

const chosen = names.length > 0 ? TARGETS.filter((t) => names.includes(t.name)) : TARGETS;
process.stdout.write(`fuzzing ${chosen.length} parsers, ${runs} generated cases each after their seeds, seed ${seed}, ${Math.min(jobs, chosen.length)} at a time\n`);
const started = performance.now();
const reports: FuzzReport[] = [];
const queue = [...chosen];
await Promise.all(Array.from({ length: Math.min(jobs, chosen.length) }, async () => {
  for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
    const report = await inChild(t.name);
    reports.push(report);
    process.stdout.write(`${reportLine(report)}\n`);
  }
}));
const failed = reports.filter((r) => r.failures.length > 0);
for (const r of failed) process.stdout.write(`\n${r.target} (${r.failures.length}):\n${r.failures.map((f) => `- ${f}`).join('\n')}\n`);
const total = reports.reduce((n, r) => n + r.cases, 0);
process.stdout.write(`\n${total} cases in ${((performance.now() - started) / 1000).toFixed(1)} s; ${failed.length === 0 ? 'no failures' : `${failed.length} parsers failed`}; ` +
  `repeat with: npm run fuzz -- --seed ${seed}${runs !== 100_000 ? ` --runs ${runs}` : ''}\n`);
process.exitCode = failed.length === 0 ? 0 : 1;
