import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DigitalInOptions } from '../../firmware/hal/pins.js';
import { MockHal } from './mock-hal.js';
import { VirtualClock } from './virtual-clock.js';

function code(expected: string) {
  return (e: { code?: string }) => e.code === expected;
}

function fresh() {
  const clock = new VirtualClock();
  return { clock, hal: new MockHal(clock) };
}

test('the hal exposes the clock it was built on', () => {
  const { clock, hal } = fresh();
  assert.is(hal.clock, clock);
});

test('invalid options are refused with E_HAL_OPTIONS and leave the pin free', () => {
  const { hal } = fresh();
  const bad = { pin: 'D2', edge: 'up', debounceMs: -1, onEdge: () => {} } as unknown as DigitalInOptions;
  assert.throws(() => hal.digitalIn(bad), code('E_HAL_OPTIONS'));
  assert.not.ok(hal.isOpen('D2'));
  assert.throws(() => hal.pwm({ pin: 'P1', frequency: 0, initial: 2 }), code('E_HAL_OPTIONS'));
  assert.not.ok(hal.isOpen('P1'));
  assert.equal(hal.pwmWrites('P1'), []);
  assert.throws(() => hal.pulseIn({ trigger: 'T', echo: 'T', triggerUs: 10, timeoutMs: 30 }), code('E_HAL_OPTIONS'));
  assert.throws(() => hal.byteStream({ port: '', baud: 9600, onData: () => {} }), code('E_HAL_OPTIONS'));
});

test('a pin held by an open resource cannot be opened again, whatever the kind', () => {
  const { hal } = fresh();
  hal.digitalOut({ pin: 'D5', initial: 0 });
  assert.throws(() => hal.analogIn({ pin: 'D5' }), code('E_HAL_PIN_IN_USE'));
  assert.throws(() => hal.pulseIn({ trigger: 'D6', echo: 'D5', triggerUs: 10, timeoutMs: 30 }), code('E_HAL_PIN_IN_USE'));
  // The failed pulse timer must not have taken its free trigger pin either.
  assert.not.ok(hal.isOpen('D6'));
  hal.digitalOut({ pin: 'D6', initial: 1 });
});

test('a serial port can be open only once', () => {
  const { hal } = fresh();
  hal.byteStream({ port: 'Serial1', baud: 9600, onData: () => {} });
  assert.throws(() => hal.byteStream({ port: 'Serial1', baud: 9600, onData: () => {} }), code('E_HAL_PIN_IN_USE'));
  assert.ok(hal.isOpen('Serial1'));
});

test('close releases the pin so it can be opened again, and close twice is harmless', () => {
  const { hal } = fresh();
  const a = hal.analogIn({ pin: 'A0' });
  assert.ok(hal.isOpen('A0'));
  a.close();
  a.close();
  assert.not.ok(hal.isOpen('A0'));
  assert.throws(() => a.read(), code('E_HAL_CLOSED'));
  hal.analogIn({ pin: 'A0' });
});

test('analog input reads 0 when nothing was set and clamps like a converter', () => {
  const { clock, hal } = fresh();
  const a = hal.analogIn({ pin: 'A0' });
  assert.is(a.read(), 0);
  hal.setAnalog('A0', 0.25);
  assert.is(a.read(), 0.25);
  hal.setAnalog('A0', 1.7);
  assert.is(a.read(), 1);
  hal.setAnalog('A0', (now) => now / 1000 - 1);
  assert.is(a.read(), 0);
  clock.advance(1500);
  assert.is(a.read(), 0.5);
});

test('setLevel refuses a pin an output drives and values other than 0 and 1', () => {
  const { hal } = fresh();
  hal.digitalOut({ pin: 'D7', initial: 1 });
  assert.throws(() => hal.setLevel('D7', 0), code('E_HAL_PIN_IN_USE'));
  assert.throws(() => hal.setLevel('D8', 2 as 0), code('E_HAL_RANGE'));
  assert.is(hal.level('D7'), 1);
});

test('level reports driven inputs and outputs; unknown pins read 0', () => {
  const { hal } = fresh();
  hal.setLevel('D1', 1);
  const out = hal.digitalOut({ pin: 'D9', initial: 0 });
  out.write(1);
  assert.is(hal.level('D1'), 1);
  assert.is(hal.level('D9'), 1);
  assert.is(out.read(), 1);
  assert.is(hal.level('nowhere'), 0);
});

test.run();
