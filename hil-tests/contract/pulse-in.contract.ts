/**
 * The ultrasonic pulse timer contract (reference: hil-tests/harness/mock-pulse-in.ts): measure()
 * reports the echo's high time in µs once, from the clock, never synchronously; no echo, or one
 * that would end after timeoutMs, gives -1 at timeoutMs; a second measure() while one is in
 * flight throws E_HAL_BUSY and leaves the first alone; done may start the next measurement;
 * close() cancels a measurement in flight.
 */
import * as assert from 'uvu/assert';
import type { BackendBench, BenchFactory } from './backend-bench.js';
import { near, recorder, throwsCode } from './contract-assert.js';
import { benchPing, contractSuite, needs } from './contract-suite.js';

const TIMEOUT_MS = 30;
/** Long enough for any echo shorter than the timeout to be reported. */
const AFTER_MS = TIMEOUT_MS + 20;

function sonar(bench: BackendBench) {
  const [trigger, echo] = benchPing(bench);
  const pulse = bench.hal.pulseIn({ trigger, echo, triggerUs: 10, timeoutMs: TIMEOUT_MS });
  const results = recorder<number>(bench.clock);
  return { echo, pulse, results: results.calls, done: results.fn };
}

export async function pulseInContract(factory: BenchFactory): Promise<void> {
  await contractSuite('pulse in', factory, needs('pulseIn', 'pulse timer'), (test) => {
    test('an echo is reported once with its width in µs, never synchronously', async (bench) => {
      const { echo, pulse, results, done } = sonar(bench);
      const tol = bench.echoToleranceUs ?? 0;
      for (const width of [5800, 580, 17400]) {
        bench.setEcho(echo, width);
        results.length = 0;
        pulse.measure(done);
        assert.equal(results, [], 'not inside measure()');
        await bench.settle(AFTER_MS);
        assert.is(results.length, 1, `one result for a ${width} µs echo`);
        near(results[0]!.value, width, tol, 'echo width');
      }
    });

    test('no echo gives -1 at timeoutMs', async (bench) => {
      const { echo, pulse, results, done } = sonar(bench);
      const tol = bench.timingToleranceMs ?? 0;
      bench.setEcho(echo, -1);
      const t0 = bench.clock.now();
      pulse.measure(done);
      await bench.settle(TIMEOUT_MS - 1 - tol);
      assert.equal(results, [], 'nothing before the timeout');
      await bench.settle(1 + 2 * tol);
      assert.equal(results.map((r) => r.value), [-1]);
      near(results[0]!.at, t0 + TIMEOUT_MS, tol, 'reported at timeoutMs');
    });

    test('an echo that would end after timeoutMs gives -1', async (bench) => {
      const { echo, pulse, results, done } = sonar(bench);
      bench.setEcho(echo, TIMEOUT_MS * 1000 + 5000);
      pulse.measure(done);
      await bench.settle(AFTER_MS + 10);
      assert.equal(results.map((r) => r.value), [-1]);
    });

    test('measure() while one is in flight throws E_HAL_BUSY; the first completes and the next works', async (bench) => {
      const { echo, pulse, results, done } = sonar(bench);
      bench.setEcho(echo, 1000);
      pulse.measure(done);
      throwsCode(() => pulse.measure(done), 'E_HAL_BUSY', 'second measure()');
      await bench.settle(AFTER_MS);
      assert.is(results.length, 1, 'the first measurement reports once');
      pulse.measure(done);
      await bench.settle(AFTER_MS);
      assert.is(results.length, 2, 'a measurement after the first completed works');
    });

    test('done may start the next measurement', async (bench) => {
      const { echo, pulse } = sonar(bench);
      bench.setEcho(echo, 1000);
      const got: number[] = [];
      const again = (us: number): void => {
        got.push(us);
        if (got.length < 3) pulse.measure(again);
      };
      pulse.measure(again);
      await bench.settle(AFTER_MS);
      await bench.settle(AFTER_MS);
      await bench.settle(AFTER_MS);
      assert.is(got.length, 3);
      got.forEach((us, i) => near(us, 1000, bench.echoToleranceUs ?? 0, `echo ${i}`));
    });

    test('close() cancels a measurement in flight: done never runs', async (bench) => {
      const { echo, pulse, results, done } = sonar(bench);
      bench.setEcho(echo, 5800);
      pulse.measure(done);
      await bench.settle(1);
      pulse.close();
      await bench.settle(AFTER_MS * 2);
      assert.equal(results, []);
    });
  });
}
