import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { knownBoard, usbIds } from './known-boards.js';

test('common Espruino boards and USB-serial bridges are named from their USB ids', () => {
  const cases: Array<[string, string, RegExp, boolean]> = [
    ['0483', '5740', /Espruino Pico\/Original/, true],
    ['0403', '6001', /FTDI FT232R/, false],
    ['0403', '6015', /FTDI FT-X/, false],
    ['10c4', 'ea60', /CP210x/, false],
    ['1a86', '7523', /CH340/, false],
    ['1a86', '5523', /CH341/, false],
    ['1a86', '55d4', /CH9102/, false],
    ['067b', '2303', /PL2303/, false],
    ['303a', '1001', /ESP32-S2\/S3/, true],
    ['2e8a', '000a', /Raspberry Pi Pico/, false],
  ];
  for (const [vid, pid, name, espruino] of cases) {
    const b = knownBoard(vid, pid);
    assert.match(b?.name ?? '(none)', name, `${vid}:${pid}`);
    assert.is(b?.espruino === true, espruino, `${vid}:${pid} runs Espruino itself`);
  }
});

test("ids are matched however the platform spells them; an unknown product gets its vendor's name", () => {
  assert.match(knownBoard('0x0403', '0x6001')!.name, /FT232R/);
  assert.match(knownBoard('10C4', 'EA60')!.name, /CP210x/);
  assert.match(knownBoard('403', '6001')!.name, /FT232R/, 'ids without their leading zeros');
  assert.is(knownBoard('0403', 'abcd')!.name, 'FTDI USB-serial bridge');
  assert.is(knownBoard('dead', 'beef'), undefined);
  assert.is(knownBoard(undefined, undefined), undefined, 'a built-in UART has no USB ids');
  assert.is(usbIds('0x0483', '5740'), '0483:5740');
  assert.is(usbIds(undefined, '5740'), undefined);
});

test.run();
