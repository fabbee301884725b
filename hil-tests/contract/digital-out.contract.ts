/**
 * The digital output contract (reference: hil-tests/harness/mock-outputs.ts): the pin comes up
 * at its initial level, follows write(), read() returns what the pin drives, a value other than
 * 0 or 1 is refused, and the pin keeps its last level after close() as a real pin does.
 */
import * as assert from 'uvu/assert';
import type { Level } from '../../firmware/hal/pins.js';
import { throwsCode } from './contract-assert.js';
import { benchPin, contractSuite, needs } from './contract-suite.js';
import type { BenchFactory } from './backend-bench.js';

export async function digitalOutContract(factory: BenchFactory): Promise<void> {
  await contractSuite('digital out', factory, needs('digitalOut', 'digital output'), (test) => {
    test('the pin comes up at its initial level', async (bench) => {
      const pin = benchPin(bench, 'digital');
      for (const initial of [1, 0] as const) {
        const out = bench.hal.digitalOut({ pin, initial });
        assert.is(out.read(), initial, `read() after opening at ${initial}`);
        await bench.settle(0);
        assert.is(bench.outputLevel(pin), initial, `the pin after opening at ${initial}`);
        out.close();
      }
    });

    test('write() drives the pin and read() returns what was written', async (bench) => {
      const pin = benchPin(bench, 'digital');
      const out = bench.hal.digitalOut({ pin, initial: 0 });
      for (const level of [1, 0, 1, 1, 0] as const) {
        out.write(level);
        assert.is(out.read(), level);
        await bench.settle(0);
        assert.is(bench.outputLevel(pin), level);
      }
    });

    test('a value other than 0 or 1 throws E_HAL_RANGE and leaves the level', async (bench) => {
      const pin = benchPin(bench, 'digital');
      const out = bench.hal.digitalOut({ pin, initial: 1 });
      for (const bad of [2, -1, 0.5, NaN, true, '1']) {
        throwsCode(() => out.write(bad as unknown as Level), 'E_HAL_RANGE', `write(${String(bad)})`);
      }
      assert.is(out.read(), 1);
      await bench.settle(0);
      assert.is(bench.outputLevel(pin), 1);
    });

    test('the pin keeps its last level after close()', async (bench) => {
      const pin = benchPin(bench, 'digital');
      const out = bench.hal.digitalOut({ pin, initial: 0 });
      out.write(1);
      out.close();
      await bench.settle(10);
      assert.is(bench.outputLevel(pin), 1);
    });
  });
}
