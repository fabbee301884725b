/**
 * One fuzz case: feed the input, then check the pass conditions every target shares. The
 * parser answered with a value or its typed error; it took less than the time bound (twice in a
 * row, so a GC pause or a busy core is not taken for a slow input); the heap
 * and external memory grew by less than the memory bound; Object.prototype and Array.prototype
 * are as they were; and the parser still reads a good input afterwards.
 */
import { FuzzViolation, type AnyTarget } from './fuzz-target.js';

export const LIMITS = {
  /** Per input, measured around the parser call. */
  timeMs: 250,
  /** Heap plus ArrayBuffer growth across one input (coarse: a GC in between can hide some). */
  memoryBytes: 64 * 1024 * 1024,
};

export interface CaseStats {
  cases: number;
  maxMs: number;
  maxMemoryBytes: number;
}

export function newStats(): CaseStats {
  return { cases: 0, maxMs: 0, maxMemoryBytes: 0 };
}

const protoKeys = (o: object): string => Reflect.ownKeys(o).map(String).sort().join(',');
const OBJECT_KEYS = protoKeys(Object.prototype);
const ARRAY_KEYS = protoKeys(Array.prototype);

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}${(err as { code?: unknown }).code !== undefined ? ` ${String((err as { code?: unknown }).code)}` : ''}: ${err.message.slice(0, 300)}\n${err.stack?.split('\n').slice(1, 8).join('\n') ?? ''}`;
  return `a thrown ${typeof err}: ${String(err).slice(0, 200)}`;
}

/** Runs one case; throws a FuzzViolation saying what failed (fast-check reports it with the input). */
export async function checkCase(target: AnyTarget, input: unknown, stats: CaseStats): Promise<void> {
  const before = memory();
  const start = performance.now();
  let thrown: unknown;
  let threw = false;
  try {
    await target.run(input);
  } catch (err) {
    thrown = err;
    threw = true;
  }
  const ms = performance.now() - start;
  const grew = memory() - before;
  stats.cases++;
  stats.maxMemoryBytes = Math.max(stats.maxMemoryBytes, grew);
  if (protoKeys(Object.prototype) !== OBJECT_KEYS || protoKeys(Array.prototype) !== ARRAY_KEYS) {
    throw new FuzzViolation(`${target.name}: the input changed Object.prototype or Array.prototype (prototype pollution)`);
  }
  if (threw && thrown instanceof FuzzViolation) throw thrown;
  if (threw && !target.isTyped(thrown)) throw new FuzzViolation(`${target.name}: ${target.parser} threw something other than its typed error: ${describe(thrown)}`);
  let taken = ms;
  if (ms > LIMITS.timeMs) {
    // A GC pause or a busy core does not repeat; a slow input does. Time it once more.
    const again = performance.now();
    await Promise.resolve().then(() => target.run(input)).catch(() => undefined);
    taken = Math.min(ms, performance.now() - again);
  }
  stats.maxMs = Math.max(stats.maxMs, taken);
  if (taken > LIMITS.timeMs) throw new FuzzViolation(`${target.name}: one input took ${ms.toFixed(1)} ms, and over ${LIMITS.timeMs} ms again (limit ${LIMITS.timeMs} ms)`);
  if (grew > LIMITS.memoryBytes) throw new FuzzViolation(`${target.name}: one input grew memory by ${(grew / 2 ** 20).toFixed(1)} MiB (limit ${LIMITS.memoryBytes / 2 ** 20} MiB)`);
  try {
    target.stillWorks?.();
  } catch (err) {
    throw new FuzzViolation(`${target.name}: after this input ${target.parser} no longer reads a good input: ${describe(err)}`);
  }
}
