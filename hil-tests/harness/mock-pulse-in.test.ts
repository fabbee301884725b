import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from './mock-hal.js';
import { VirtualClock } from './virtual-clock.js';

function code(expected: string) {
  return (e: { code?: string }) => e.code === expected;
}

function setup() {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const sonar = hal.pulseIn({ trigger: 'T', echo: 'E', triggerUs: 10, timeoutMs: 30 });
  const results: Array<{ us: number; at: number }> = [];
  const done = (us: number) => results.push({ us, at: clock.now() });
  return { clock, hal, sonar, results, done };
}

test('an echo is reported after the trigger pulse plus its width, never synchronously', () => {
  const { clock, hal, sonar, results, done } = setup();
  hal.setEcho('E', () => 5000);
  sonar.measure(done);
  assert.equal(results, []);
  clock.advance(5);
  assert.equal(results, []);
  clock.advance(0.01);
  assert.equal(results, [{ us: 5000, at: 5.01 }]);
});

test('the trigger pin pulses high for triggerUs and the echo pin is high for the width', () => {
  const { clock, hal, sonar, done } = setup();
  hal.setEcho('E', () => 2000);
  sonar.measure(done);
  assert.is(hal.level('T'), 1);
  assert.is(hal.level('E'), 0);
  clock.advance(0.01);
  assert.is(hal.level('T'), 0);
  assert.is(hal.level('E'), 1);
  clock.advance(2);
  assert.is(hal.level('E'), 0);
});

test('the responder is asked at trigger time', () => {
  const { clock, hal, sonar, done } = setup();
  const asked: number[] = [];
  hal.setEcho('E', (now) => {
    asked.push(now);
    return 100;
  });
  clock.advance(42);
  sonar.measure(done);
  clock.advance(50);
  assert.equal(asked, [42]);
});

test('no echo, no responder, or an echo longer than the timeout give -1 after timeoutMs', () => {
  for (const responder of [undefined, () => -1, () => 31000]) {
    const { clock, hal, sonar, results, done } = setup();
    if (responder !== undefined) hal.setEcho('E', responder);
    sonar.measure(done);
    clock.advance(29.99);
    assert.equal(results, []);
    clock.advance(0.01);
    assert.equal(results, [{ us: -1, at: 30 }]);
  }
});

test('measure while a measurement is in flight throws E_HAL_BUSY; afterwards it works again', () => {
  const { clock, hal, sonar, results, done } = setup();
  hal.setEcho('E', () => 1000);
  sonar.measure(done);
  assert.throws(() => sonar.measure(done), code('E_HAL_BUSY'));
  clock.advance(2);
  sonar.measure(done);
  clock.advance(2);
  assert.equal(results.map((r) => r.us), [1000, 1000]);
});

test('a measurement can be started from inside done', () => {
  const { clock, hal, sonar } = setup();
  hal.setEcho('E', () => 1000);
  const got: number[] = [];
  const again = (us: number) => {
    got.push(us);
    if (got.length < 3) sonar.measure(again);
  };
  sonar.measure(again);
  clock.advance(10);
  assert.equal(got, [1000, 1000, 1000]);
});

test('close cancels the pending result, lowers both pins and frees them', () => {
  const { clock, hal, sonar, results, done } = setup();
  hal.setEcho('E', () => 1000);
  sonar.measure(done);
  clock.advance(0.5);
  sonar.close();
  clock.advance(100);
  assert.equal(results, []);
  assert.is(hal.level('T'), 0);
  assert.is(hal.level('E'), 0);
  assert.not.ok(hal.isOpen('T'));
  assert.not.ok(hal.isOpen('E'));
  assert.throws(() => sonar.measure(done), code('E_HAL_CLOSED'));
});

test.run();
