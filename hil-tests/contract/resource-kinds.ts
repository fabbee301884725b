/**
 * The five pin resources as the lifecycle suite sees them: how to open one with valid options,
 * with invalid ones, and which methods it has. Options are the simplest valid ones; the suites
 * per interface test what they mean.
 */
import type { DigitalInOptions, Level, PinId, PulseInOptions } from '../../firmware/hal/pins.js';
import type { BackendBench, BenchCapabilities } from './backend-bench.js';
import { benchPin, benchPing } from './contract-suite.js';

/** An open resource: close() and every other method, called with valid arguments. */
export interface Handle {
  close(): void;
  calls: Array<[string, () => unknown]>;
}

export interface ResourceKind {
  readonly title: string;
  readonly capability: Exclude<keyof BenchCapabilities, 'pullUp'>;
  /** The bench's pin list this kind opens on. */
  readonly list: 'digital' | 'pwm' | 'analog' | 'ping';
  /** The pins one resource takes by default (pulse: trigger, echo). */
  pins(bench: BackendBench): PinId[];
  open(bench: BackendBench, pins: PinId[]): Handle;
  /** Opens with invalid options on `pins`; absent when the only option is the pin itself. */
  openBad?(bench: BackendBench, pins: PinId[]): Handle;
  /** What the outside world sees of the pins, where it can: a refused open must not change it. */
  observe?(bench: BackendBench, pins: PinId[]): number;
}

const digitalIn: ResourceKind = {
  title: 'digital in',
  capability: 'digitalIn',
  list: 'digital',
  pins: (bench) => [benchPin(bench, 'digital')],
  open(bench, [pin]) {
    const r = bench.hal.digitalIn({ pin: pin!, edge: 'both', debounceMs: 0, onEdge: () => {} });
    return { close: () => r.close(), calls: [['read()', () => r.read()]] };
  },
  openBad(bench, [pin]) {
    const bad = { pin, edge: 'up', debounceMs: -1, pull: 'up', onEdge: () => {} };
    const r = bench.hal.digitalIn(bad as unknown as DigitalInOptions);
    return { close: () => r.close(), calls: [] };
  },
};

const digitalOut: ResourceKind = {
  title: 'digital out',
  capability: 'digitalOut',
  list: 'digital',
  pins: (bench) => [benchPin(bench, 'digital')],
  open(bench, [pin]) {
    const r = bench.hal.digitalOut({ pin: pin!, initial: 0 });
    return { close: () => r.close(), calls: [['write(1)', () => r.write(1)], ['read()', () => r.read()]] };
  },
  openBad(bench, [pin]) {
    const r = bench.hal.digitalOut({ pin: pin!, initial: 2 as unknown as Level });
    return { close: () => r.close(), calls: [] };
  },
};

const pwm: ResourceKind = {
  title: 'pwm',
  capability: 'pwm',
  list: 'pwm',
  pins: (bench) => [benchPin(bench, 'pwm')],
  open(bench, [pin]) {
    const r = bench.hal.pwm({ pin: pin!, frequency: 1000, initial: 0 });
    return { close: () => r.close(), calls: [['write(0.5)', () => r.write(0.5)], ['read()', () => r.read()]] };
  },
  // A valid initial duty with an invalid frequency: a backend that touched the pin first shows it.
  openBad(bench, [pin]) {
    const r = bench.hal.pwm({ pin: pin!, frequency: 0, initial: 0.7 });
    return { close: () => r.close(), calls: [] };
  },
  observe: (bench, [pin]) => bench.outputDuty(pin!),
};

const analogIn: ResourceKind = {
  title: 'analog in',
  capability: 'analogIn',
  list: 'analog',
  pins: (bench) => [benchPin(bench, 'analog')],
  open(bench, [pin]) {
    const r = bench.hal.analogIn({ pin: pin! });
    return { close: () => r.close(), calls: [['read()', () => r.read()]] };
  },
};

const pulseIn: ResourceKind = {
  title: 'pulse in',
  capability: 'pulseIn',
  list: 'ping',
  pins: (bench) => benchPing(bench),
  open(bench, [trigger, echo]) {
    const r = bench.hal.pulseIn({ trigger: trigger!, echo: echo!, triggerUs: 10, timeoutMs: 30 });
    return { close: () => r.close(), calls: [['measure()', () => r.measure(() => {})]] };
  },
  openBad(bench, [trigger, echo]) {
    const bad: PulseInOptions = { trigger: trigger!, echo: echo!, triggerUs: 0, timeoutMs: -5 };
    const r = bench.hal.pulseIn(bad);
    return { close: () => r.close(), calls: [] };
  },
};

export const resourceKinds: readonly ResourceKind[] = [digitalIn, digitalOut, pwm, analogIn, pulseIn];
