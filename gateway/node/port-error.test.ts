import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describePortError } from './port-error.js';

const PORT = '/dev/ttyUSB0';

test("the native binding's errno texts become codes with what to do", () => {
  const cases: Array<[unknown, 'open' | 'lost', string, RegExp]> = [
    [new Error(`Error: No such file or directory, cannot open ${PORT}`), 'open', 'E_SERIAL_MISSING', /is the node's cable plugged in/],
    [new Error(`Error: Permission denied, cannot open ${PORT}`), 'open', 'E_SERIAL_ACCESS', /dialout group/],
    [new Error('Error Resource temporarily unavailable Cannot lock port'), 'open', 'E_SERIAL_BUSY', /another program has the port open/],
    [Object.assign(new Error('Device or resource busy'), { code: 'EBUSY' }), 'open', 'E_SERIAL_BUSY', /close it/],
    [new Error('Port is locked cannot open'), 'open', 'E_SERIAL_BUSY', /another program/],
    [Object.assign(new Error('Input/output error'), { disconnected: true }), 'lost', 'E_SERIAL_DISCONNECTED', /cable was pulled/],
    [null, 'lost', 'E_SERIAL_CLOSED', /reopens the port/],
    [new Error('Error: Invalid argument setting custom baud rate of 12345'), 'open', 'E_SERIAL_IO', /check the cable/],
  ];
  for (const [err, phase, code, advice] of cases) {
    const e = describePortError(PORT, err, phase);
    assert.is(e.code, code, String(err));
    assert.match(e.message, advice);
    assert.match(e.message, PORT);
    assert.is(e.port, PORT);
  }
});

test('the message names the port and keeps the original reason, without a doubled "Error:"', () => {
  const e = describePortError(PORT, new Error(`Error: Permission denied, cannot open ${PORT}`), 'open');
  assert.match(e.message, `cannot open serial port ${PORT} (Permission denied, cannot open ${PORT}): add the user`);
});

test.run();
