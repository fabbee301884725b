/**
 * Assertions the contract suites share: a HAL error code thrown, a number near another (exact
 * when the bench declares no tolerance), and a recorder for callbacks that notes when each ran.
 */
import * as assert from 'uvu/assert';
import { isHalError } from '../../firmware/hal/errors.js';
import type { HalErrorCode } from '../../firmware/hal/errors.js';
import type { Clock } from '../../firmware/hal/clock.js';

/** `fn` must throw a HAL error with one of `codes`. */
export function throwsCode(fn: () => unknown, codes: HalErrorCode | HalErrorCode[], what: string): void {
  const allowed = Array.isArray(codes) ? codes : [codes];
  let threw = false;
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    threw = true;
    caught = error;
  }
  const expected = allowed.join(' or ');
  if (!threw) assert.unreachable(`${what}: expected ${expected}, but nothing was thrown`);
  const code = isHalError(caught) ? caught.code : undefined;
  assert.ok(
    code !== undefined && allowed.includes(code),
    `${what}: expected ${expected}, got ${code ?? String(caught)}`,
  );
}

/** `actual` within `tolerance` of `expected`; with tolerance 0 they must be equal. */
export function near(actual: number, expected: number, tolerance: number, what: string): void {
  if (tolerance === 0) {
    assert.is(actual, expected, what);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

export interface Call<T> {
  value: T;
  /** clock.now() when the callback ran. */
  at: number;
}

/** A callback that records what it was given and when; `calls` is its log. */
export function recorder<T>(clock: Clock): { calls: Array<Call<T>>; fn: (value: T) => void } {
  const calls: Array<Call<T>> = [];
  return { calls, fn: (value: T) => calls.push({ value, at: clock.now() }) };
}
