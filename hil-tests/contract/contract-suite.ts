/**
 * Registers one contract suite for one bench factory as a uvu suite named
 * '<interface> [<factory>]'. Every test gets a fresh bench, closed after it whatever happens.
 *
 * Whether a suite can run is known before its tests are registered: the factory is asked
 * (unavailable()) and, when it can run, one bench is created and closed to read its capabilities
 * and pins. A suite that cannot run, or a test that needs what the bench lacks, is registered with
 * uvu's test.skip, so run-all counts it as skipped. uvu 0.5 prints no name for a skipped test, so
 * the reason goes into the suite's name, which it does print:
 *   'pwm [onoff (GPIO loopback)] skipped: KERB_GPIO_LOOPBACK is not set'
 *   'digital in [onoff (fake Gpio)] (skipped "a pulled-up input ...": no pull-up support)'
 */
import { suite } from 'uvu';
import type { PinId } from '../../firmware/hal/pins.js';
import type { BackendBench, BenchCapabilities, BenchFactory } from './backend-bench.js';

/** What a probe bench told us: enough to decide what runs, without keeping a bench open. */
export interface BenchInfo {
  readonly capabilities: BenchCapabilities;
  readonly pins: BackendBench['pins'];
}

type Probe =
  | { state: 'unavailable'; reason: string }
  | { state: 'failed'; error: unknown }
  | { state: 'ready'; info: BenchInfo };

/** Why a suite or a test cannot run on this bench, or undefined when it can. */
export type Requirement = (bench: BenchInfo) => string | undefined;

export type BenchTest = (
  name: string,
  body: (bench: BackendBench) => void | Promise<void>,
  requirement?: Requirement,
) => void;

/** A suite or test that needs a capability the bench may lack. */
export function needs(capability: keyof BenchCapabilities, what: string): Requirement {
  return (bench) => (bench.capabilities[capability] === true ? undefined : `the bench has no ${what}`);
}

const probes = new WeakMap<BenchFactory, Promise<Probe>>();

function probe(factory: BenchFactory): Promise<Probe> {
  let found = probes.get(factory);
  if (found === undefined) {
    found = (async (): Promise<Probe> => {
      const reason = factory.unavailable();
      if (reason !== undefined) return { state: 'unavailable', reason };
      try {
        const bench = await factory.create();
        const info = { capabilities: { ...bench.capabilities }, pins: bench.pins };
        await bench.close();
        return { state: 'ready', info };
      } catch (error) {
        return { state: 'failed', error };
      }
    })();
    probes.set(factory, found);
  }
  return found;
}

export async function contractSuite(
  title: string,
  factory: BenchFactory,
  requirement: Requirement,
  register: (test: BenchTest) => void,
): Promise<void> {
  const label = `${title} [${factory.name}]`;
  const found = await probe(factory);
  if (found.state === 'failed') {
    // Available but broken is a failure, not a skip.
    const test = suite(label);
    test('the bench can be created', () => {
      throw found.error;
    });
    test.run();
    return;
  }
  const suiteReason = found.state === 'unavailable' ? found.reason : requirement(found.info);
  const entries: Array<{ name: string; body: (bench: BackendBench) => void | Promise<void>; skip?: string }> = [];
  register((name, body, need) => {
    const skip = suiteReason ?? (found.state === 'ready' && need !== undefined ? need(found.info) : undefined);
    entries.push(skip === undefined ? { name, body } : { name, body, skip });
  });

  const skipped = entries.filter((e) => e.skip !== undefined);
  const test = suite(
    suiteReason !== undefined ? `${label} skipped: ${suiteReason}`
      : skipped.length > 0 ? `${label} (${skipped.map((e) => `skipped "${e.name}": ${e.skip}`).join('; ')})`
        : label,
  );
  for (const entry of entries) {
    if (entry.skip !== undefined) {
      test.skip(entry.name);
      continue;
    }
    test(entry.name, async () => {
      const bench = await factory.create();
      try {
        await entry.body(bench);
      } finally {
        await bench.close();
      }
    });
  }
  test.run();
}

/** The first pin of one of the bench's lists; a bench that claims a capability must offer a pin. */
export function benchPin(bench: BackendBench, list: 'digital' | 'pwm' | 'analog'): PinId {
  const pin = bench.pins[list][0];
  if (pin === undefined) throw new Error(`bench ${bench.name} offers no ${list} pin`);
  return pin;
}

export function benchPing(bench: BackendBench): [PinId, PinId] {
  const pair = bench.pins.ping[0];
  if (pair === undefined) throw new Error(`bench ${bench.name} offers no [trigger, echo] pair`);
  return pair;
}
