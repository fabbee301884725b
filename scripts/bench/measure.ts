/**
 * Side-by-side timing: candidates run interleaved in rounds within one process, and each is
 * reported as a ratio against the baseline of the same round, so machine load shifts both alike.
 */
export interface Candidate {
  name: string;
  run: () => unknown;
}

export interface Timing {
  name: string;
  /** Operations per second, median over rounds. */
  opsPerS: number;
  /** Operations per second in each round, in round order. */
  rounds: number[];
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median over rounds of a's rate over b's in the same round: drift between rounds cancels. */
export function ratioOf(a: Timing, b: Timing): number {
  return median(a.rounds.map((ops, i) => ops / b.rounds[i]!));
}

let sink: unknown;

function timeOnce(fn: () => unknown, minMs: number): number {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    sink = fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

export function compare(candidates: Candidate[], rounds = 5, minMs = 150): Timing[] {
  const samples = candidates.map(() => [] as number[]);
  for (const c of candidates) timeOnce(c.run, 50); // warm up the JIT for each
  for (let r = 0; r < rounds; r++) candidates.forEach((c, i) => samples[i]!.push(timeOnce(c.run, minMs)));
  void sink;
  return candidates.map((c, i) => ({ name: c.name, opsPerS: median(samples[i]!), rounds: samples[i]! }));
}
