/**
 * The lamp bundle (lamp-pir-pwm as kerb build makes it) in the fake Espruino, when things go
 * wrong on the board: a crash loop puts it in safe mode and a stable boot takes it out again,
 * a hung event loop is reset by the hardware watchdog, and a day of gateway setups does not
 * wear the flash.
 */
import { test } from 'uvu';
import type { DeviceEvent } from '../../firmware/devices/types.js';
import * as assert from 'uvu/assert';
import { AMSTERDAM } from '../devices/rig.js';
import { lampConfig, MIDDAY, NIGHT_2310 } from '../devices/lamp-config.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { bench, bootHellos, profileBuild, type Bench } from './node-bench.js';

const BUILD = profileBuild('lamp-pir-pwm', 'lamp-07');
const PIR = BUILD.pins.pir;
const DRIVER = BUILD.pins.driver;
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

const benches: Bench[] = [];
function start(startWall: number): Bench {
  const b = bench({ build: BUILD, startWall });
  benches.push(b);
  return b;
}

test.before(async () => void (await quickJsModule()));
test.after.each(() => {
  for (const b of benches.splice(0)) b.stop();
});

test('the build under test is the shipped lamp: crash loop after 5 unclean boots, stable after 60 s, 10 s watchdog', () => {
  assert.is(BUILD.safeAfter, 5);
  assert.is(BUILD.stableMs, 60 * S);
  assert.is(BUILD.watchdogS, 10);
  assert.is((BUILD.config as { failSafeLevel: number }).failSafeLevel, lampConfig().failSafeLevel);
});

test('a node power-cycled 5 times before it ran 60 s boots in safe mode at its fail-safe level; a stable boot ends it', () => {
  const b = start(MIDDAY); // by day: the fail-safe level holds day and night
  b.clock.advance(10 * S);
  assert.is(b.hal.duty(DRIVER), 0, 'in run mode the lamp is off by day');
  for (let i = 0; i < BUILD.safeAfter; i++) {
    b.node.powerCycle(); // it dies before stableMs, every time
    b.clock.advance(10 * S);
  }
  assert.equal(bootHellos(b.gw).map((h) => h.boot), [1, 2, 3, 4, 5, 6], 'each boot counted once');
  assert.equal(bootHellos(b.gw).map((h) => h.mode), ['run', 'run', 'run', 'run', 'run', 'safe']);
  assert.is(b.hal.duty(DRIVER), lampConfig().failSafeLevel, 'the lamp burns at its fail-safe level, by day too');
  assert.is(b.gw.state?.mode, 'safe', 'the safe node still reports');
  const id = b.gw.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  b.clock.advance(S);
  assert.is(b.gw.result(id)?.code, 'E_SAFE_MODE');
  assert.is(b.hal.duty(DRIVER), lampConfig().failSafeLevel, 'the refused command changed nothing');

  b.clock.advance(60 * S); // this boot runs past stableMs: it marks itself clean
  b.node.powerCycle();
  b.clock.advance(10 * S);
  assert.equal(bootHellos(b.gw).map((h) => h.boot), [1, 2, 3, 4, 5, 6, 7]);
  assert.is(bootHellos(b.gw)[6]!.mode, 'run', 'the next boot runs the controller again');
  assert.is(b.hal.duty(DRIVER), 0, 'and the lamp follows its schedule: off by day');
  const ok = b.gw.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  b.clock.advance(S);
  assert.is(b.gw.result(ok)?.code, 'OK');
  assert.is(b.hal.duty(DRIVER), 0.5);
  assert.equal(b.node.errors, []);
  assert.equal(b.node.resets.map((r) => r.reason), ['power', 'power', 'power', 'power', 'power', 'power']);
});

test('a hung event loop stops the watchdog kicks: the board resets, says hello with the next boot count and lights again', () => {
  const b = start(NIGHT_2310);
  b.clock.advance(30 * S);
  assert.is(b.node.watchdogState(), 'manual', 'the bundle enabled the watchdog, kicked from a timer');
  assert.is(b.hal.duty(DRIVER), lampConfig().baseLevel);
  const hangAt = b.clock.now() + 10;
  b.node.evaluate('setTimeout(function () { for (;;) {} }, 10)');
  b.clock.advance(S);
  assert.ok(b.node.isHung(), 'the callback never returned');
  assert.equal(b.node.errors.map((e) => [e.name, e.message, e.source]), [['InternalError', 'interrupted', 'timer']]);
  assert.equal(b.node.resets, [], 'no reset yet: the watchdog waits for its timeout');
  b.clock.advance(10 * S);
  assert.is(b.node.resets.length, 1);
  assert.is(b.node.resets[0]!.reason, 'watchdog');
  const bitAfter = b.node.resets[0]!.time - hangAt;
  assert.ok(bitAfter > 0 && bitAfter <= BUILD.watchdogS * S, `reset ${bitAfter} ms after the hang`);
  assert.not.ok(b.node.isHung());

  b.clock.advance(10 * S);
  assert.equal(bootHellos(b.gw).map((h) => [h.boot, h.mode]), [[1, 'run'], [2, 'run']]);
  assert.is(b.node.watchdogState(), 'manual', 'the new boot enabled the watchdog again');
  assert.is(b.hal.duty(DRIVER), lampConfig().baseLevel, 'the setup after the hello: night, base level');
  const motions = b.gw.values('motion').length;
  b.hal.setLevel(PIR, 1);
  b.clock.advance(S);
  assert.is(b.hal.duty(DRIVER), lampConfig().fullLevel, 'full on motion');
  assert.is(b.gw.values('motion').length, motions + 1, 'the motion reached the gateway');
  b.hal.setLevel(PIR, 0);
  b.clock.advance(MIN);
  assert.is(b.node.resets.length, 1, 'the watchdog is kicked again: no further reset');
  assert.is(b.node.errors.length, 1, 'nothing else went wrong');
});

test('an exception that reaches the event loop is reported; three in ten minutes reboot the node', () => {
  const b = start(NIGHT_2310);
  b.clock.advance(30 * S);
  b.node.evaluate("setTimeout(function () { throw new Error('sensor driver bug'); }, 10)");
  b.clock.advance(S);
  assert.equal(b.gw.events('uncaught').map((e) => { const ev = e as DeviceEvent; return [ev.severity, ev.detail]; }), [['fault', 'sensor driver bug']]);
  assert.equal(b.node.resets, [], 'one is reported, the node runs on');
  assert.is(b.hal.duty(DRIVER), lampConfig().baseLevel);
  b.node.evaluate("setTimeout(function () { throw new Error('again'); }, 10); setTimeout(function () { throw new Error('and again'); }, 20)");
  b.clock.advance(S);
  assert.is(b.node.resets.length, 1, 'three within ten minutes: rebooted');
  assert.is(b.node.resets[0]!.reason, 'E.reboot()');
  b.clock.advance(10 * S);
  assert.ok(b.gw.hellos.some((h) => h.boot === 2), 'back, with the next boot count');
  assert.is(b.hal.duty(DRIVER), lampConfig().baseLevel, 'and lit');
});

test('a day of setups every minute for the same place costs the boot its two writes and the place one', () => {
  const b = start(NIGHT_2310);
  for (let i = 0; i < 24 * 60; i++) {
    b.gw.setup(b.clock.wallTime(), AMSTERDAM.latitude, AMSTERDAM.longitude);
    b.clock.advance(MIN);
  }
  assert.equal(bootHellos(b.gw).length, 1, 'one boot all day');
  assert.is(b.storage.wearOf('kerb.boot').writes, 2, 'the boot count, then the clean mark');
  assert.is(b.storage.wearOf('kerb.loc').writes, 1, 'the place, once');
  assert.is(b.storage.wearOf('.bootcde').writes, 1, 'the upload of the code itself');
  assert.equal(b.storage.totalWear().writes, 4, 'and nothing else was written');
  assert.equal(JSON.parse(b.storage.readText('kerb.loc')!), AMSTERDAM);
  assert.equal(b.node.errors, []);
  assert.ok(b.clock.now() >= 24 * HOUR);
});

test.run();
