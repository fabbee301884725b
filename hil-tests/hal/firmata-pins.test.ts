/**
 * The Firmata backend's resources on a ready board: what they write to the io, what they refuse
 * and with which message.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isHalError } from '../../firmware/hal/errors.js';
import { MODE } from '../../gateway/hal/firmata/io.js';
import { readyRig } from './firmata-rig.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isHalError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
}

test('PWM duty 0..1 is written as 0..255; outside 0..1 is E_HAL_RANGE and nothing is written', () => {
  const { hal, board } = readyRig();
  const lamp = hal.pwm({ pin: '3', frequency: 1000, initial: 0 });
  assert.is(board.mode('3'), MODE.PWM);
  lamp.write(1);
  assert.is(board.duty('3'), 1);
  lamp.write(0.5);
  assert.is(board.duty('3'), 128 / 255);
  assert.is(lamp.read(), 0.5, 'read() is the duty written, not the quantised one');
  for (const bad of [1.01, -0.1, NaN, Infinity]) {
    assert.match(codeOf(() => lamp.write(bad)), /^E_HAL_RANGE: PWM duty on pin 3 must be within 0\.\.1/);
  }
  assert.is(board.duty('3'), 128 / 255);
  assert.is(lamp.read(), 0.5);
  assert.match(codeOf(() => hal.pwm({ pin: '5', frequency: 1000, initial: 2 })), /^E_HAL_OPTIONS/);
});

test('the PWM frequency cannot be set over Firmata: accepted, and said once in the log', () => {
  const rig = readyRig();
  rig.hal.pwm({ pin: '3', frequency: 1000, initial: 0 });
  rig.hal.pwm({ pin: '5', frequency: 200, initial: 0 });
  const notes = rig.records.filter((r) => r.event === 'firmata.pwm-frequency');
  assert.is(notes.length, 1);
  assert.is(notes[0]!['askedHz'], 1000);
  assert.match(String(notes[0]!['note']), "the board's own is used");
});

test('PWM on a pin without PWM is refused at open on a known board, with the pins that have it', () => {
  const { hal } = readyRig();
  const msg = codeOf(() => hal.pwm({ pin: 'D2', frequency: 1000, initial: 0 }));
  assert.match(msg, /^E_HAL_UNAVAILABLE: PWM output on pin D2: the board on \/dev\/ttyACM0 reports no PWM mode for pin 2/);
  assert.match(msg, '3, 5, 6, 9, 10, 11');
  hal.digitalOut({ pin: 'D2', initial: 0 }); // the refused open held nothing
});

test('ping without PING_READ in the firmware: E_HAL_UNAVAILABLE saying to flash PingFirmata or use a node', () => {
  const { hal } = readyRig({ firmware: 'StandardFirmata' });
  const msg = codeOf(() => hal.pulseIn({ trigger: '7', echo: '8', triggerUs: 10, timeoutMs: 30 }));
  assert.match(msg, /^E_HAL_UNAVAILABLE: pulse timer on pin 8: /);
  assert.match(msg, "this board's Firmata has no PING_READ: flash PingFirmata, or use a node");
  hal.digitalIn({ pin: '7', edge: 'both', debounceMs: 0, onEdge: () => undefined });
});

test('ping with PingFirmata: the echo width, -1 for none, E_HAL_BUSY while one is in flight', () => {
  const { hal, board, clock } = readyRig({ firmware: 'PingFirmata' });
  const ping = hal.pulseIn({ trigger: '7', echo: '8', triggerUs: 10, timeoutMs: 30 });
  const got: Array<[number, number]> = [];
  board.setEcho('8', () => 1160);
  ping.measure((us) => got.push([us, clock.now()]));
  assert.match(codeOf(() => ping.measure(() => undefined)), /^E_HAL_BUSY/);
  assert.equal(got, [], 'never synchronously');
  clock.advance(30);
  assert.equal(got, [[1160, 1.17]]);
  board.setEcho('8', () => -1);
  ping.measure((us) => got.push([us, clock.now()]));
  clock.advance(30);
  assert.equal(got[1], [-1, 60], "PingFirmata answers 0 at the timeout");
});

test('pull-up needs the firmware PULLUP mode; pull-down does not exist on Firmata', () => {
  const old = readyRig({ pullUp: false });
  const msg = codeOf(() => old.hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 0, pull: 'up', onEdge: () => undefined }));
  assert.match(msg, /^E_HAL_UNAVAILABLE: digital input on pin 2: the board on \/dev\/ttyACM0 reports no PULLUP mode for pin 2/);
  assert.match(msg, 'StandardFirmata 2.5');
  const { hal, board } = readyRig();
  const button = hal.digitalIn({ pin: '4', edge: 'both', debounceMs: 0, pull: 'up', onEdge: () => undefined });
  assert.is(board.mode('4'), MODE.PULLUP);
  assert.is(button.read(), 1, 'a pulled-up input nothing drives reads high');
  assert.match(codeOf(() => hal.digitalIn({ pin: '7', edge: 'both', debounceMs: 0, pull: 'down', onEdge: () => undefined })),
    /^E_HAL_UNAVAILABLE: .*no pull-down/);
});

test('digital in: Kerb debounce on the clock, edge time of the last change, edge filter, raw read()', () => {
  const { hal, board, clock } = readyRig();
  const edges: Array<[number, number]> = [];
  const pir = hal.digitalIn({ pin: '2', edge: 'rising', debounceMs: 50, onEdge: (e) => edges.push([e.value, e.time]) });
  board.setInput('2', 1);
  clock.advance(20);
  board.setInput('2', 0); // a bounce
  assert.is(pir.read(), 0);
  clock.advance(10);
  board.setInput('2', 1);
  clock.advance(49);
  assert.equal(edges, []);
  clock.advance(1);
  assert.equal(edges, [[1, 30]]);
  board.setInput('2', 0);
  clock.advance(100);
  assert.equal(edges, [[1, 30]], 'falling edges are filtered out');
  board.setInput('2', 1);
  clock.advance(50);
  assert.equal(edges, [[1, 30], [1, 180]]);
});

test('another input changing on the same port is not an edge on this one', () => {
  const { hal, board, clock } = readyRig();
  const edges: number[] = [];
  hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 0, onEdge: (e) => edges.push(e.value) });
  hal.digitalIn({ pin: '4', edge: 'both', debounceMs: 0, onEdge: () => undefined });
  board.setInput('4', 1);
  board.setInput('4', 0);
  clock.advance(10);
  assert.equal(edges, []);
});

test('analog in reads 0..1 of the converter full scale, from A0 or the analog pin number', () => {
  const { hal, board } = readyRig();
  const light = hal.analogIn({ pin: 'A0' });
  assert.is(board.mode('A0'), MODE.ANALOG);
  assert.is(light.read(), 0);
  board.setAnalog('A0', 1);
  assert.is(light.read(), 1);
  board.setAnalog('A0', 0.25);
  assert.is(light.read(), 256 / 1023);
  board.setAnalog('A1', 0.5);
  assert.is(hal.analogIn({ pin: '15' }).read(), 512 / 1023);
  assert.match(codeOf(() => hal.analogIn({ pin: '7' })), /^E_HAL_UNAVAILABLE: analog input on pin 7: pin 7 of the board on \/dev\/ttyACM0 is not an analog input \(its analog inputs are A0\.\.A5\)/);
  assert.match(codeOf(() => hal.analogIn({ pin: 'A6' })), /^E_HAL_OPTIONS: analog input on pin A6: .* has no analog input A6/);
  light.close();
  board.setAnalog('A0', 1);
  assert.is(hal.analogIn({ pin: 'A0' }).read(), 1);
});

test('pin names: numbers, D-numbers and A-channels; others refused before anything is touched', () => {
  const { hal } = readyRig();
  assert.match(codeOf(() => hal.digitalOut({ pin: 'GPIO4', initial: 0 })), /^E_HAL_OPTIONS: digital output on pin 'GPIO4': a Firmata pin is a number/);
  assert.match(codeOf(() => hal.digitalOut({ pin: '99', initial: 0 })), /^E_HAL_OPTIONS: digital output on pin 99: the board on \/dev\/ttyACM0 has no pin 99 \(its pins are 0\.\.19\)/);
  assert.match(codeOf(() => hal.digitalOut({ pin: '0', initial: 0 })), /^E_HAL_UNAVAILABLE: .*no OUTPUT mode for pin 0 \(it supports nothing: it is reserved/);
  hal.digitalOut({ pin: 'D13', initial: 0 });
  assert.match(codeOf(() => hal.digitalIn({ pin: '13', edge: 'both', debounceMs: 0, onEdge: () => undefined })),
    /^E_HAL_PIN_IN_USE: pin D13 of the board on \/dev\/ttyACM0 is already held by an open digital output \(D13\)/);
  assert.match(codeOf(() => hal.byteStream({ port: 'Serial1', baud: 9600, onData: () => undefined })), /^E_HAL_UNAVAILABLE/);
});

test('nothing works after close(); a closed pin can be opened again; the HAL closes everything', () => {
  const { hal, board } = readyRig();
  const out = hal.digitalOut({ pin: '13', initial: 1 });
  out.close();
  out.close();
  assert.match(codeOf(() => out.write(0)), /^E_HAL_CLOSED: write on digital output 13 after close\(\)/);
  assert.is(board.level('13'), 1, 'the pin keeps its last level');
  const again = hal.digitalOut({ pin: '13', initial: 0 });
  assert.is(board.level('13'), 0);
  hal.close();
  assert.match(codeOf(() => again.read()), /^E_HAL_CLOSED/);
  assert.match(codeOf(() => hal.digitalOut({ pin: '12', initial: 0 })), /^E_HAL_CLOSED/);
  assert.is(hal.status().state, 'closed');
});

test('a closed watch hears nothing more', () => {
  const { hal, board, clock } = readyRig();
  const edges: number[] = [];
  const pir = hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 50, onEdge: (e) => edges.push(e.value) });
  board.setInput('2', 1);
  clock.advance(10);
  pir.close();
  clock.advance(100);
  board.setInput('2', 0);
  clock.advance(100);
  assert.equal(edges, []);
});

test.run();

