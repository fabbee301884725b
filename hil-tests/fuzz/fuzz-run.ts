/**
 * Runs one target: its seeds first (each by name), then `runs` generated cases from `seed`.
 * Every failing seed is reported; the generated cases stop at their first failure, reported
 * with the input shrunk by fast-check.
 */
import fc from 'fast-check';
import { checkCase, newStats, type CaseStats } from './check-case.js';
import type { AnyTarget } from './fuzz-target.js';

export interface FuzzReport extends CaseStats {
  target: string;
  seed: number;
  /** Generated cases asked for (seeds come on top). */
  runs: number;
  seeds: number;
  failures: string[];
  elapsedMs: number;
}

export async function fuzzTarget(target: AnyTarget, options: { runs: number; seed: number; withSeeds?: boolean }): Promise<FuzzReport> {
  const stats = newStats();
  const failures: string[] = [];
  const started = performance.now();
  const seeds = options.withSeeds === false ? [] : target.seeds;
  for (const s of seeds) {
    try {
      await checkCase(target, s.input, stats);
    } catch (err) {
      failures.push(`seed '${s.name}': ${(err as Error).message}\n  input: ${target.show(s.input).slice(0, 600)}`);
    }
  }
  const property = fc.asyncProperty(target.arbitrary, (input) => checkCase(target, input, stats));
  let details: fc.RunDetails<[unknown]>;
  try {
    details = await fc.check(property, { numRuns: options.runs, seed: options.seed });
  } catch (err) {
    // Making an input failed (a bug in the target's arbitrary, not in the parser): still a failure.
    failures.push(`generating an input failed: ${(err as Error).stack ?? String(err)}`);
    return { target: target.name, seed: options.seed, runs: options.runs, seeds: seeds.length, failures, elapsedMs: performance.now() - started, ...stats };
  }
  if (details.failed) {
    const input = details.counterexample?.[0];
    const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    failures.push(`generated case (seed ${details.seed}, path "${details.counterexamplePath}"): ${message}\n  input: ${input === undefined ? '?' : target.show(input).slice(0, 600)}`);
  }
  return { target: target.name, seed: options.seed, runs: options.runs, seeds: seeds.length, failures, elapsedMs: performance.now() - started, ...stats };
}

export function reportLine(r: FuzzReport): string {
  const mib = (r.maxMemoryBytes / 2 ** 20).toFixed(1);
  return `${r.target.padEnd(17)} ${String(r.cases).padStart(8)} cases (${r.seeds} seeds)  ${String(r.failures.length).padStart(2)} failures  ` +
    `max ${r.maxMs.toFixed(1).padStart(6)} ms/input  max +${mib.padStart(5)} MiB/input  ${(r.elapsedMs / 1000).toFixed(1).padStart(6)} s  seed ${r.seed}`;
}
