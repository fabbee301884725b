import type { Clock } from '../../firmware/hal/clock.js';

/** Converts a monotonic timestamp to wall time using the clock's current offset. */
export function wallAt(clock: Clock, monotonicMs: number): number {
  return Math.round(clock.wallTime() - (clock.now() - monotonicMs));
}
