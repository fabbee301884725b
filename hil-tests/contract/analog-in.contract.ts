/**
 * The analog input contract (reference: hil-tests/harness/mock-analog-in.ts): read() gives the
 * value the input carries as 0..1 of the converter's full scale, within one step of the bench's
 * analogResolution, and follows the input while the resource stays open. A backend may take one
 * sampling period to see a change (Firmata reports every 19 ms by default), so each read comes
 * SAMPLE_MS after the input changed; the mock sees it at once.
 */
import * as assert from 'uvu/assert';
import { near } from './contract-assert.js';
import { benchPin, contractSuite, needs } from './contract-suite.js';
import type { BenchFactory } from './backend-bench.js';

const SAMPLE_MS = 50;

export async function analogInContract(factory: BenchFactory): Promise<void> {
  await contractSuite('analog in', factory, needs('analogIn', 'analog input'), (test) => {
    test('read() gives the input as 0..1 of full scale, following it while open', async (bench) => {
      const pin = benchPin(bench, 'analog');
      const input = bench.hal.analogIn({ pin });
      for (const value of [0.25, 0.5, 0.8, 0, 1, 0.333]) {
        bench.setAnalog(pin, value);
        await bench.settle(SAMPLE_MS);
        const read = input.read();
        assert.ok(read >= 0 && read <= 1, `read() ${read} lies within 0..1`);
        near(read, value, bench.analogResolution ?? 0, `read() with the input at ${value}`);
      }
    });

    test('an input set before the resource opened is read once it has sampled', async (bench) => {
      const pin = benchPin(bench, 'analog');
      bench.setAnalog(pin, 0.6);
      await bench.settle(SAMPLE_MS);
      const input = bench.hal.analogIn({ pin });
      await bench.settle(SAMPLE_MS);
      near(input.read(), 0.6, bench.analogResolution ?? 0, 'read() soon after opening');
    });
  });
}
