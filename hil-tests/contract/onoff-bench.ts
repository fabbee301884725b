/**
 * The onoff backend on the contract bench, twice:
 * - onoffFake: OnoffHal on a fake Raspberry Pi 5 (hil-tests/harness/fake-gpio.ts, header chip at
 *   571, so every test also runs through the 6.6-kernel numbering offset) and a VirtualClock;
 *   exact, like the mock.
 * - onoffLoopback: real onoff on real pins wired in pairs (gpio-loopback.ts), named by
 *   KERB_GPIO_LOOPBACK='17:27,22:23'; the system clock and real waits, with a timing tolerance.
 * onoff can only do digital in and out; the other suites are skipped with that reason.
 */
import type { Level, PinId } from '../../firmware/hal/pins.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { ExitRelease } from '../../gateway/hal/onoff/exit-release.js';
import type { GpioClass, SysfsGpio } from '../../gateway/hal/onoff/gpio-api.js';
import { tryLoadOnoff } from '../../gateway/hal/onoff/load-onoff.js';
import { OnoffHal } from '../../gateway/hal/onoff/onoff-hal.js';
import { Logger, memoryLogger } from '../../gateway/log/logger.js';
import { createFakeGpio } from '../harness/fake-gpio.js';
import { FakeProcess } from '../harness/fake-process.js';
import { PI5_CHIPS } from '../harness/fake-gpio-sysfs.js';
import { settle } from '../harness/run-clock.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import type { BackendBench, BenchCapabilities, BenchFactory } from './backend-bench.js';
import { LOOPBACK_VARIABLE, LoopbackWorld, parseLoopback } from './gpio-loopback.js';

const CAPABILITIES: BenchCapabilities = { digitalIn: true, digitalOut: true, pwm: false, analogIn: false, pulseIn: false, pullUp: false };
/** Where a real Pi's timers and interrupts may stray from exact, for the loopback bench. */
export const LOOPBACK_TOLERANCE_MS = 10;

function notOnGpio(what: string): never {
  throw new Error(`the onoff bench has no ${what}: a Pi's GPIO through onoff is digital in and out only`);
}

function createFakeBench(): BackendBench {
  const clock = new VirtualClock();
  const { sysfs, Gpio } = createFakeGpio({ chips: PI5_CHIPS });
  const base = 571;
  const hal = new OnoffHal({ clock, Gpio, sysfs, log: memoryLogger().log, exitRelease: new ExitRelease(new FakeProcess()) });
  const gpio = (pin: PinId): number => base + Number(pin);
  return {
    name: 'onoff (fake Gpio)',
    hal,
    clock,
    capabilities: CAPABILITIES,
    pins: { digital: ['17', '27', '22'], pwm: [], analog: [], ping: [], invalid: 'D2' },
    setInput(pin: PinId, level: Level): void {
      if (sysfs.isOutput(gpio(pin))) throw new Error(`setInput(${pin}): the pin is an output; two drivers on one wire is a test bug`);
      sysfs.drive(gpio(pin), level);
    },
    outputLevel: (pin: PinId) => sysfs.level(gpio(pin)),
    outputDuty: () => notOnGpio('PWM'),
    setAnalog: () => notOnGpio('analog input'),
    setEcho: () => notOnGpio('pulse timing'),
    async settle(ms: number): Promise<void> {
      await settle(); // interrupts raised so far reach the backend at the present time
      clock.advance(ms);
      await settle();
    },
    async close(): Promise<void> {
      hal.close();
    },
  };
}

export const onoffFake: BenchFactory = {
  name: 'onoff (fake Gpio)',
  unavailable: () => undefined,
  create: async () => createFakeBench(),
};

/** Where the loopback bench finds its pins and GPIO; tests pass a wired fake Pi. */
export interface LoopbackSetup {
  /** KERB_GPIO_LOOPBACK's value; default: read from the environment when asked. */
  pairs?: () => string | undefined;
  /** A fake onoff and its sysfs; default: the real ones. */
  Gpio?: GpioClass;
  sysfs?: SysfsGpio;
  exitRelease?: ExitRelease;
}

/** The loopback bench on real pins (or on what `setup` passes instead). */
export function loopbackBench(setup: LoopbackSetup = {}): BenchFactory {
  const text = setup.pairs ?? ((): string | undefined => process.env[LOOPBACK_VARIABLE]);
  return {
    name: 'onoff (GPIO loopback)',
    unavailable(): string | undefined {
      const parsed = parseLoopback(text());
      if ('error' in parsed) return parsed.error;
      const loaded = setup.Gpio !== undefined ? { Gpio: setup.Gpio } : tryLoadOnoff();
      if ('error' in loaded) return `onoff could not be loaded: ${loaded.error instanceof Error ? loaded.error.message : String(loaded.error)}`;
      if (!loaded.Gpio.accessible) return 'GPIO is not accessible: not a Raspberry Pi, or no permission (add the user to the gpio group)';
      return undefined;
    },
    create: async () => createLoopbackBench(text(), setup),
  };
}

function createLoopbackBench(text: string | undefined, setup: LoopbackSetup): BackendBench {
  const parsed = parseLoopback(text);
  if ('error' in parsed) throw new Error(parsed.error);
  const clock = new SystemClock();
  const options = {
    clock, log: new Logger(undefined, 'warn'),
    ...(setup.Gpio ? { Gpio: setup.Gpio } : {}), ...(setup.sysfs ? { sysfs: setup.sysfs } : {}),
    ...(setup.exitRelease ? { exitRelease: setup.exitRelease } : {}),
  };
  const world = new OnoffHal(options);
  let outside: LoopbackWorld;
  try {
    outside = new LoopbackWorld(world, parsed.pairs);
  } catch (err) {
    world.close();
    throw err;
  }
  const hal = new OnoffHal(options);
  return {
    name: 'onoff (GPIO loopback)',
    hal,
    clock,
    capabilities: CAPABILITIES,
    timingToleranceMs: LOOPBACK_TOLERANCE_MS,
    pins: { digital: parsed.pairs.map((p) => p.hal), pwm: [], analog: [], ping: [], invalid: 'D2' },
    setInput: (pin: PinId, level: Level) => outside.drive(pin, level),
    outputLevel: (pin: PinId) => outside.sense(pin),
    outputDuty: () => notOnGpio('PWM'),
    setAnalog: () => notOnGpio('analog input'),
    setEcho: () => notOnGpio('pulse timing'),
    async settle(ms: number): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await settle(); // let an interrupt that just arrived run its callback
    },
    async close(): Promise<void> {
      try {
        hal.close();
      } finally {
        outside.close();
      }
    },
  };
}

export const onoffLoopback: BenchFactory = loopbackBench();
