import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from './mock-hal.js';
import { PWM_LOG_LIMIT } from './mock-pin-board.js';
import { VirtualClock } from './virtual-clock.js';

function code(expected: string) {
  return (e: { code?: string }) => e.code === expected;
}

test('pwm records the initial duty and every write with its monotonic time', () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  clock.advance(5);
  const pwm = hal.pwm({ pin: 'L1', frequency: 1000, initial: 0.2 });
  clock.advance(10);
  pwm.write(1);
  clock.advance(2.5);
  pwm.write(0.4);
  assert.equal(hal.pwmWrites('L1'), [{ time: 5, duty: 0.2 }, { time: 15, duty: 1 }, { time: 17.5, duty: 0.4 }]);
  assert.is(hal.duty('L1'), 0.4);
  assert.is(pwm.read(), 0.4);
});

test('pwm duty outside 0..1 throws E_HAL_RANGE and changes nothing', () => {
  const hal = new MockHal(new VirtualClock());
  const pwm = hal.pwm({ pin: 'L1', frequency: 1000, initial: 0.5 });
  assert.throws(() => pwm.write(1.01), code('E_HAL_RANGE'));
  assert.throws(() => pwm.write(-0.1), code('E_HAL_RANGE'));
  assert.throws(() => pwm.write(NaN), code('E_HAL_RANGE'));
  assert.is(hal.duty('L1'), 0.5);
  assert.is(hal.pwmWrites('L1').length, 1);
});

test('the pwm history keeps only the most recent writes', () => {
  const hal = new MockHal(new VirtualClock());
  const pwm = hal.pwm({ pin: 'L1', frequency: 1000, initial: 0 });
  const total = PWM_LOG_LIMIT * 2 + 7;
  for (let i = 1; i < total; i++) pwm.write((i % 100) / 100);
  const log = hal.pwmWrites('L1');
  assert.is(log.length, PWM_LOG_LIMIT);
  assert.is(log[log.length - 1]!.duty, ((total - 1) % 100) / 100);
});

test('an output keeps its last level and duty after close, but refuses writes', () => {
  const hal = new MockHal(new VirtualClock());
  const out = hal.digitalOut({ pin: 'R1', initial: 1 });
  const pwm = hal.pwm({ pin: 'L1', frequency: 500, initial: 0.7 });
  out.close();
  pwm.close();
  assert.is(hal.level('R1'), 1);
  assert.is(hal.duty('L1'), 0.7);
  assert.throws(() => out.write(0), code('E_HAL_CLOSED'));
  assert.throws(() => pwm.write(0), code('E_HAL_CLOSED'));
  assert.throws(() => pwm.read(), code('E_HAL_CLOSED'));
});

test('digital output refuses values other than 0 and 1', () => {
  const hal = new MockHal(new VirtualClock());
  const out = hal.digitalOut({ pin: 'R1', initial: 0 });
  assert.throws(() => out.write(2 as 1), code('E_HAL_RANGE'));
  assert.is(hal.level('R1'), 0);
});

test.run();
