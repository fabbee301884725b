/**
 * What the fuzz runner needs to know about one parser that takes outside bytes: how to make
 * inputs (a fast-check arbitrary), the hand-written inputs that have killed decoders before
 * (seeds), how to feed one input to the parser, and which errors are the parser's own. A pass
 * is a value or the parser's typed error; any other exception, a slow input or a large
 * allocation is a failure (see check-case.ts).
 */
import type { Arbitrary } from 'fast-check';

export interface FuzzTarget<I> {
  /** Short and stable: it names the target in the runner's table and in `npm run fuzz -- NAME`. */
  name: string;
  /** The parser's entry point, as the gateway or the CLI calls it. */
  parser: string;
  arbitrary: Arbitrary<I>;
  /** Inputs every run tries first, each named for what it attacks. */
  seeds: Array<{ name: string; input: I }>;
  /**
   * Feeds one input to the parser; returns (or resolves) when the parser answered. Throws what
   * the parser threw, or a FuzzViolation when the answer breaks the target's own property.
   */
  run(input: I): void | Promise<void>;
  /** True for the errors the parser promises (LinkMessageError, BatchError, ...). */
  isTyped(err: unknown): boolean;
  /** Checked after each case: the parser still reads a good input correctly (no leftover state). */
  stillWorks?(): void;
  /** The input as printed in a failure report (hex for bytes, JSON for text). */
  show(input: I): string;
}

/** A property of the parser's answer that does not hold (not an exception the parser threw). */
export class FuzzViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzViolation';
  }
}

export function violation(holds: boolean, message: string): void {
  if (!holds) throw new FuzzViolation(message);
}

export const showBytes = (b: Uint8Array): string =>
  b.length <= 512 ? Buffer.from(b).toString('hex') : `${Buffer.from(b.subarray(0, 512)).toString('hex')}… (${b.length} bytes)`;

export const showText = (s: string): string => (s.length <= 2000 ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, 2000))}… (${s.length} chars)`);

/** A target with its input type erased, for the registry. */
export type AnyTarget = FuzzTarget<any>;
