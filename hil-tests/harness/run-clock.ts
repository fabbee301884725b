/**
 * Virtual time for code that also does real I/O (serialport's mock binding resolves on
 * process.nextTick and promises). `settle()` lets every pending tick and promise run, so a
 * frame written is a frame delivered and answered; `runClock()` moves the virtual clock in
 * steps with a settle after each, so timers and I/O interleave as they would in real time.
 * Nothing here waits on the wall clock.
 */
import type { VirtualClock } from './virtual-clock.js';

/** Runs everything already queued on process.nextTick and the promise queue, and what that queues. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances `clock` by `ms` in steps of `stepMs`, settling I/O after each step. */
export async function runClock(clock: VirtualClock, ms: number, stepMs = 100): Promise<void> {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    clock.advanceTo(Math.min(end, clock.now() + stepMs));
    await settle();
  }
}
