import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BinConfig } from './config.js';
import { FireWatch } from './fire-watch.js';

function config(): BinConfig {
  return {
    sampleS: 600, tempSampleS: 30, samples: 5, emptyCm: 120, fullCm: 15, minCm: 3, maxCm: 400,
    fullAlertPct: 80, fullClearPct: 50, temperature: { gain: 165, offset: -40 },
    fireTempC: 70, fireRiseC: 15, fireRiseWindowS: 300,
  };
}

test('a temperature at fireTempC alerts once until it is back to normal', () => {
  const f = new FireWatch(config());
  assert.is(f.push(20), false);
  assert.is(f.push(70), true);
  assert.is(f.push(90), false);
  assert.is(f.push(66), false);
  assert.is(f.isArmed(), false, 'within the re-arm margin');
  for (let i = 0; i < 10; i++) f.push(60);
  assert.is(f.isArmed(), true, 'steady below fireTempC - 5 with no rise');
  assert.is(f.push(71), true);
});

test('cooling down after a fire is not taken for a new rise', () => {
  const f = new FireWatch(config());
  let alerts = 0;
  for (const t of [20, 95, 80, 60, 40, 30, 25, 22, 21, 20, 20, 20, 20, 20, 20]) if (f.push(t)) alerts++;
  assert.is(alerts, 1);
  assert.is(f.isArmed(), true);
});

test('a rise of fireRiseC within the window alerts; the same rise spread wider does not', () => {
  const fast = new FireWatch(config());
  for (const t of [20, 22, 25, 29, 33]) assert.is(fast.push(t), false);
  assert.is(fast.push(35), true, '+15 °C within 150 s');
  assert.is(fast.rise(), 15);
  const slow = new FireWatch(config());
  let alerts = 0;
  // The window holds the 10 earlier samples (300 s / 30 s): at +1.4 °C per sample the rise seen
  // is 14 °C; stop before the absolute threshold.
  for (let i = 0; i < 30; i++) if (slow.push(20 + 1.4 * i)) alerts++;
  assert.is(alerts, 0);
});

test('the window never holds more than 64 samples', () => {
  const cfg = config();
  cfg.fireRiseWindowS = 1e6;
  const f = new FireWatch(cfg);
  f.push(0);
  for (let i = 0; i < 100; i++) f.push(10);
  assert.is(f.push(10), false);
  assert.is(f.rise(), 0, 'the old 0 °C sample has left the ring');
});

test.run();
