import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createController, METRICS_BY_KIND } from './create.js';
import type { Hal } from '../hal/pins.js';
import type { BinConfig, LampConfig, ParkingConfig } from './config.js';
import type { ControllerContext } from './types.js';

/** A HAL that fails the test if anything is opened: constructors only store. */
function refuse(what: string): () => never {
  return () => {
    throw new Error('constructor touched ' + what);
  };
}

const untouchable: Hal = {
  clock: {
    now: refuse('clock.now'), wallTime: refuse('clock.wallTime'), wallSynced: refuse('clock.wallSynced'),
    setTimeout: refuse('clock.setTimeout'), setInterval: refuse('clock.setInterval'), clearTimer: refuse('clock.clearTimer'),
  },
  digitalIn: refuse('hal.digitalIn'), digitalOut: refuse('hal.digitalOut'), pwm: refuse('hal.pwm'),
  analogIn: refuse('hal.analogIn'), pulseIn: refuse('hal.pulseIn'), byteStream: refuse('hal.byteStream'),
};

const CONFIGS = {
  lamp: {
    fullLevel: 1, baseLevel: 0.2, holdS: 30, fadeS: 3, pwmHz: 1000, pirDebounceMs: 50, failSafeLevel: 0.6,
    pirStuckHighS: 600, pirSilentS: 172800,
    schedule: { source: 'sun', duskOffsetMin: 0, dawnOffsetMin: 0, lightOnBelow: 0.1, lightOffAbove: 0.2, lightDelayS: 60, checkS: 60 },
  } as LampConfig,
  parking: {
    sensor: 'magnetometer', sampleS: 5, calibration: { gain: 200, offset: -100 }, detectDelta: 15, releaseDelta: 8,
    confirmS: 20, baselineAlpha: 0.02, heartbeatS: 900, rangeCm: 200, relearnS: 86400,
  } as ParkingConfig,
  bin: {
    sampleS: 600, tempSampleS: 30, samples: 5, emptyCm: 120, fullCm: 15, minCm: 3, maxCm: 400, fullAlertPct: 80,
    fullClearPct: 50, temperature: { gain: 165, offset: -40 }, fireTempC: 70, fireRiseC: 15, fireRiseWindowS: 300,
  } as BinConfig,
};

function ctx(config: unknown): ControllerContext<never> {
  return {
    hal: untouchable, clock: untouchable.clock, pins: {}, config: config as never,
    location: { latitude: 0, longitude: 0 }, emit: () => {},
  };
}

test('createController returns the controller of each kind without touching the HAL', () => {
  for (const kind of ['lamp', 'parking', 'bin'] as const) {
    assert.is(createController(kind, ctx(CONFIGS[kind])).kind, kind);
  }
});

test('an unknown kind is refused with E_DEVICE_KIND', () => {
  assert.throws(() => createController('bench' as never, ctx(CONFIGS.lamp)), (e: { code?: string }) => e.code === 'E_DEVICE_KIND');
});

test('the metric contract with the simulator and gateway', () => {
  const names = (k: 'lamp' | 'parking' | 'bin') => METRICS_BY_KIND[k].map((m) => m.name + ':' + m.kind);
  assert.equal(names('lamp'), ['level:level', 'motion:count', 'mode:state']);
  assert.equal(names('parking'), ['occupied:state', 'field:gauge', 'distance:gauge']);
  assert.equal(names('bin'), ['fill:gauge', 'distance:gauge', 'temp:gauge', 'lid:state']);
  assert.equal(METRICS_BY_KIND.lamp[2]!.states, ['day', 'base', 'full', 'fade', 'failsafe', 'override', 'emergency']);
  assert.equal(METRICS_BY_KIND.parking[0]!.states, ['free', 'occupied']);
  assert.equal(METRICS_BY_KIND.bin[3]!.states, ['closed', 'open']);
  assert.equal(METRICS_BY_KIND.lamp.map((m) => m.scale), [3, 0, 0]);
  assert.equal(METRICS_BY_KIND.bin.map((m) => m.scale), [0, 1, 1, 0]);
});

test.run();
