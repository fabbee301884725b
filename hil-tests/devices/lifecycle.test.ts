import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeviceKind } from '../../firmware/devices/types.js';
import type { ConfigByKind } from '../../firmware/devices/create.js';
import { BIN_PINS, binConfig } from './bin-sim.js';
import { lampConfig, LAMP_PINS, NIGHT_2310 } from './lamp-config.js';
import { MIN, Rig } from './rig.js';

interface Case<K extends DeviceKind> {
  kind: K;
  config: () => ConfigByKind[K];
  pins: { [role: string]: string };
  /** A pin the controller opens late in start(), to make start() fail half-way. */
  lastPin: string;
}

const parkingPins = { trigger: 'D5', echo: 'D6' };
const CASES: Case<DeviceKind>[] = [
  { kind: 'lamp', config: lampConfig, pins: LAMP_PINS, lastPin: 'D3' },
  {
    kind: 'parking', pins: parkingPins, lastPin: 'D6',
    config: () => ({
      sensor: 'distance', sampleS: 10, calibration: { gain: 1, offset: 0 }, detectDelta: 30, releaseDelta: 15,
      confirmS: 20, baselineAlpha: 0.05, heartbeatS: 900, rangeCm: 200, relearnS: 86400,
    }),
  },
  { kind: 'bin', config: binConfig, pins: BIN_PINS, lastPin: 'A2' },
];

function rig(c: Case<DeviceKind>) {
  return new Rig({ kind: c.kind, config: c.config(), pins: c.pins, startWall: NIGHT_2310 });
}

for (const c of CASES) {
  test(`${c.kind}: stop closes every pin, clears every timer and ends all output`, () => {
    const r = rig(c);
    r.device.start();
    r.device.start(); // a second start is ignored
    r.clock.advance(30 * MIN);
    assert.ok(r.out.length > 0);
    r.device.stop();
    for (const pin of Object.values(c.pins)) assert.not.ok(r.hal.isOpen(pin), pin);
    assert.is(r.clock.pending(), 0);
    const n = r.out.length;
    r.clock.advance(60 * MIN);
    assert.is(r.out.length, n);
    assert.is(r.state('running'), false);
  });

  test(`${c.kind}: a start that fails half-way releases what it opened and rethrows`, () => {
    const r = rig(c);
    r.hal.analogIn({ pin: c.lastPin }); // someone else holds the pin
    assert.throws(() => r.device.start(), (e: { code?: string }) => e.code === 'E_HAL_PIN_IN_USE');
    for (const pin of Object.values(c.pins)) {
      if (pin !== c.lastPin) assert.not.ok(r.hal.isOpen(pin), pin);
    }
    assert.is(r.clock.pending(), 0);
  });

  test(`${c.kind}: the constructor opens nothing and emits nothing`, () => {
    const r = rig(c);
    for (const pin of Object.values(c.pins)) assert.not.ok(r.hal.isOpen(pin), pin);
    assert.is(r.clock.pending(), 0);
    assert.equal(r.out, []);
  });
}

test.run();
