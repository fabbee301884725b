/**
 * The PWM contract (reference: hil-tests/harness/mock-outputs.ts): the pin comes up at its
 * initial duty and follows write(); read() returns exactly the duty written (the controller's
 * view), while the pin itself may differ by one step of the bench's dutyResolution; a duty
 * outside 0..1 is refused with E_HAL_RANGE and changes nothing; the pin keeps its last duty
 * after close().
 */
import * as assert from 'uvu/assert';
import { near, throwsCode } from './contract-assert.js';
import { benchPin, contractSuite, needs } from './contract-suite.js';
import type { BenchFactory } from './backend-bench.js';

const FREQUENCY = 1000;

export async function pwmContract(factory: BenchFactory): Promise<void> {
  await contractSuite('pwm', factory, needs('pwm', 'PWM output'), (test) => {
    test('the pin comes up at its initial duty', async (bench) => {
      const pin = benchPin(bench, 'pwm');
      const pwm = bench.hal.pwm({ pin, frequency: FREQUENCY, initial: 0.3 });
      assert.is(pwm.read(), 0.3);
      await bench.settle(0);
      near(bench.outputDuty(pin), 0.3, bench.dutyResolution ?? 0, 'duty on the pin');
    });

    test('write() sets the duty; read() returns exactly what was written', async (bench) => {
      const pin = benchPin(bench, 'pwm');
      const pwm = bench.hal.pwm({ pin, frequency: FREQUENCY, initial: 0 });
      for (const duty of [0.25, 0.5, 1, 0, 0.7, 0.001, 0.999]) {
        pwm.write(duty);
        assert.is(pwm.read(), duty, `read() after write(${duty})`);
        await bench.settle(0);
        near(bench.outputDuty(pin), duty, bench.dutyResolution ?? 0, `duty on the pin after write(${duty})`);
      }
    });

    test('a duty outside 0..1 throws E_HAL_RANGE and changes nothing', async (bench) => {
      const pin = benchPin(bench, 'pwm');
      const pwm = bench.hal.pwm({ pin, frequency: FREQUENCY, initial: 0.4 });
      for (const bad of [-0.01, 1.01, 2, NaN, Infinity, -Infinity]) {
        throwsCode(() => pwm.write(bad), 'E_HAL_RANGE', `write(${bad})`);
      }
      assert.is(pwm.read(), 0.4);
      await bench.settle(0);
      near(bench.outputDuty(pin), 0.4, bench.dutyResolution ?? 0, 'duty on the pin');
    });

    test('the pin keeps its last duty after close()', async (bench) => {
      const pin = benchPin(bench, 'pwm');
      const pwm = bench.hal.pwm({ pin, frequency: FREQUENCY, initial: 0 });
      pwm.write(0.6);
      pwm.close();
      await bench.settle(10);
      near(bench.outputDuty(pin), 0.6, bench.dutyResolution ?? 0, 'duty on the pin after close()');
    });
  });
}
