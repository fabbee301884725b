import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from './mock-hal.js';
import { VirtualClock } from './virtual-clock.js';
import { boardPin, deviceBoard } from './device-board.js';

test('two devices with the same pin names get separate pins on one mock', () => {
  const hal = new MockHal(new VirtualClock());
  const a = deviceBoard(hal, 'lamp-01').pwm({ pin: 'D3', frequency: 1000, initial: 0 });
  const b = deviceBoard(hal, 'lamp-02').pwm({ pin: 'D3', frequency: 1000, initial: 0 });
  a.write(0.25);
  b.write(0.75);
  assert.is(hal.duty(boardPin('lamp-01', 'D3')), 0.25);
  assert.is(hal.duty(boardPin('lamp-02', 'D3')), 0.75);
});

test('a device board still refuses a pin its own device already holds', () => {
  const board = deviceBoard(new MockHal(new VirtualClock()), 'bin-01');
  board.analogIn({ pin: 'A0' });
  assert.throws(() => board.analogIn({ pin: 'A0' }), (err: { code?: string }) => err.code === 'E_HAL_PIN_IN_USE');
});

test('edges driven on the prefixed pin reach the device board', () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const seen: number[] = [];
  deviceBoard(hal, 'lamp-01').digitalIn({ pin: 'D2', edge: 'rising', debounceMs: 0, onEdge: (e) => seen.push(e.value) });
  hal.setLevel(boardPin('lamp-01', 'D2'), 1);
  clock.runDue();
  assert.equal(seen, [1]);
});

test.run();
