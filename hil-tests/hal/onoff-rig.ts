/**
 * An OnoffHal on a fake Raspberry Pi for the onoff tests: the fake sysfs and Gpio, a virtual
 * clock, a stand-in process for the exit hooks and a logger that keeps what was said.
 */
import { ExitRelease } from '../../gateway/hal/onoff/exit-release.js';
import { OnoffHal, type OnoffHalOptions } from '../../gateway/hal/onoff/onoff-hal.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { createFakeGpio } from '../harness/fake-gpio.js';
import type { FakeChip } from '../harness/fake-gpio-sysfs.js';
import { FakeProcess } from '../harness/fake-process.js';
import { settle } from '../harness/run-clock.js';
import { VirtualClock } from '../harness/virtual-clock.js';

export interface OnoffRigOptions {
  chips?: FakeChip[];
  accessible?: boolean;
  /** HAL options that override the rig's own (gpioBase, a different Gpio). */
  hal?: Partial<OnoffHalOptions>;
  /** False: the HAL gets the fake Gpio but not the fake sysfs. */
  withSysfs?: boolean;
}

export function onoffRig(options: OnoffRigOptions = {}) {
  const clock = new VirtualClock();
  const { sysfs, Gpio } = createFakeGpio({ ...(options.chips ? { chips: options.chips } : {}), accessible: options.accessible ?? true });
  const proc = new FakeProcess();
  const exitRelease = new ExitRelease(proc);
  const { log, records } = memoryLogger();
  const hal = new OnoffHal({
    clock, Gpio, log, exitRelease, ...(options.withSysfs === false ? {} : { sysfs }), ...options.hal,
  });
  /** Lets fake interrupts reach the HAL now, then moves the clock on. */
  const run = async (ms: number): Promise<void> => {
    await settle();
    clock.advance(ms);
    await settle();
  };
  return { clock, sysfs, Gpio, proc, exitRelease, log, records, hal, run };
}

/** A predicate for assert.throws: a HAL error with `code` whose message matches every pattern. */
export function halCode(code: string, ...patterns: RegExp[]) {
  return (e: { code?: string; message?: string }) => e.code === code && patterns.every((p) => p.test(e.message ?? ''));
}
