/**
 * Digital in and out through the onoff backend on a fake Pi: interrupts from the fake Gpio,
 * debounce on the virtual clock (exact, with the mock's semantics), and the loopback bench's
 * plumbing on wired fake pins.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Edge, EdgeEvent } from '../../firmware/hal/pins.js';
import { ExitRelease } from '../../gateway/hal/onoff/exit-release.js';
import type { ValueCallback } from '../../gateway/hal/onoff/gpio-api.js';
import { OnoffHal } from '../../gateway/hal/onoff/onoff-hal.js';
import { loopbackBench } from '../contract/onoff-bench.js';
import { parseLoopback } from '../contract/gpio-loopback.js';
import { createFakeGpio } from '../harness/fake-gpio.js';
import { FakeProcess } from '../harness/fake-process.js';
import { onoffRig } from './onoff-rig.js';

function watching(debounceMs: number, edge: Edge = 'both') {
  const rig = onoffRig();
  const seen: Array<EdgeEvent & { at: number }> = [];
  const input = rig.hal.digitalIn({ pin: '27', edge, debounceMs, onEdge: (e) => seen.push({ ...e, at: rig.clock.now() }) });
  return { ...rig, seen, input };
}

test('an interrupt that stays put is reported at change + debounce, stamped with the change time', async () => {
  const { sysfs, run, seen } = watching(50);
  await run(100);
  sysfs.drive(27, 1);
  await run(49);
  assert.equal(seen, []);
  await run(1);
  assert.equal(seen, [{ value: 1, time: 100, at: 150 }]);
});

test('bounces shorter than the debounce give nothing; a bouncing edge is stamped with its last change', async () => {
  const { sysfs, run, seen } = watching(50);
  sysfs.drive(27, 1);
  await run(20);
  sysfs.drive(27, 0);
  await run(500);
  assert.equal(seen, []);
  sysfs.drive(27, 1);
  await run(5);
  sysfs.drive(27, 0);
  await run(5);
  sysfs.drive(27, 1);
  await run(50);
  assert.equal(seen.map((e) => [e.value, e.time, e.at]), [[1, 530, 580]]);
});

test('edges merged by the interrupt into one same-level report restart the window', async () => {
  const { sysfs, run, seen } = watching(50);
  sysfs.drive(27, 1);
  await run(30);
  sysfs.drive(27, 0);
  sysfs.drive(27, 1); // both before the interrupt is handled: one callback reading 1
  await run(49);
  assert.equal(seen, []);
  await run(1);
  assert.equal(seen.map((e) => [e.value, e.time]), [[1, 30]]);
});

test("debounce 0 reports each change from the clock; edge 'falling' filters the rises", async () => {
  const { sysfs, run, seen } = watching(0, 'falling');
  for (const level of [1, 0, 1, 0] as const) {
    sysfs.drive(27, level);
    await run(10);
  }
  assert.equal(seen.map((e) => [e.value, e.time]), [[0, 10], [0, 30]]);
});

test('read() is the raw level at once; opening reports nothing for the present level', async () => {
  const rig = onoffRig();
  rig.sysfs.drive(27, 1);
  const seen: EdgeEvent[] = [];
  const input = rig.hal.digitalIn({ pin: '27', edge: 'both', debounceMs: 50, onEdge: (e) => seen.push(e) });
  assert.is(input.read(), 1);
  rig.sysfs.drive(27, 0);
  assert.is(input.read(), 0, 'before any interrupt or debounce');
  rig.sysfs.drive(27, 1);
  await rig.run(200);
  assert.equal(seen, []);
});

test('a watch error from onoff is logged and is not an edge', async () => {
  const rig = onoffRig();
  class FailingGpio extends rig.Gpio {
    override watch(callback: ValueCallback): void {
      super.watch(callback);
      setImmediate(() => callback(new Error('EPOLL failure'), 1));
    }
  }
  const hal = new OnoffHal({ clock: rig.clock, Gpio: FailingGpio, sysfs: rig.sysfs, log: rig.log, exitRelease: rig.exitRelease });
  const seen: EdgeEvent[] = [];
  hal.digitalIn({ pin: '27', edge: 'both', debounceMs: 0, onEdge: (e) => seen.push(e) });
  await rig.run(10);
  assert.equal(seen, []);
  assert.ok(rig.records.some((r) => r.event === 'gpio.watch-error' && r.error === 'EPOLL failure'));
});

test('an output comes up at its initial level without a glitch and follows write()', () => {
  const { hal, sysfs } = onoffRig();
  const out = hal.digitalOut({ pin: '17', initial: 1 });
  assert.is(sysfs.level(17), 1);
  out.write(0);
  assert.equal([out.read(), sysfs.level(17)], [0, 0]);
  assert.throws(() => out.write(2 as 0), (e: { code?: string }) => e.code === 'E_HAL_RANGE');
});

test('KERB_GPIO_LOOPBACK is parsed as out:in pairs, and every problem is reported', () => {
  assert.equal(parseLoopback('17:27, 22:23'), { pairs: [{ bench: '17', hal: '27' }, { bench: '22', hal: '23' }] });
  assert.match((parseLoopback(undefined) as { error: string }).error, /KERB_GPIO_LOOPBACK is not set.*17:27,22:23/);
  const bad = (parseLoopback('17:27,27:5,40:2,x') as { error: string }).error;
  assert.match(bad, /BCM 27 is named twice/);
  assert.match(bad, /'40:2' is not out:in/);
  assert.match(bad, /'x' is not out:in/);
});

test('the loopback bench says why it cannot run: no variable, or GPIO not accessible', () => {
  const { Gpio } = createFakeGpio({ accessible: false });
  assert.match(loopbackBench({ pairs: () => undefined }).unavailable() ?? '', /KERB_GPIO_LOOPBACK is not set/);
  assert.match(loopbackBench({ pairs: () => '17:27', Gpio }).unavailable() ?? '', /GPIO is not accessible/);
});

test('the loopback bench on wired fake pins: drives inputs through the partner and reads outputs on it', async () => {
  const { sysfs, Gpio } = createFakeGpio();
  sysfs.wire(17, 27);
  sysfs.wire(22, 23);
  const factory = loopbackBench({ pairs: () => '17:27,22:23', Gpio, sysfs, exitRelease: new ExitRelease(new FakeProcess()) });
  assert.is(factory.unavailable(), undefined);
  const bench = await factory.create();
  try {
    assert.equal(bench.pins.digital, ['27', '23']);
    const seen: number[] = [];
    const input = bench.hal.digitalIn({ pin: '27', edge: 'both', debounceMs: 0, onEdge: (e) => seen.push(e.value) });
    assert.is(input.read(), 0, 'the partner drives 0 from the start');
    bench.setInput('27', 1);
    await bench.settle(5);
    assert.equal([input.read(), seen], [1, [1]]);
    const out = bench.hal.digitalOut({ pin: '23', initial: 1 });
    assert.is(bench.outputLevel('23'), 1);
    out.write(0);
    assert.is(bench.outputLevel('23'), 0);
    out.close();
    const again = bench.hal.digitalIn({ pin: '23', edge: 'both', debounceMs: 0, onEdge: () => {} });
    bench.setInput('23', 1);
    assert.is(again.read(), 1, 'the partner drives again');
  } finally {
    await bench.close();
  }
  assert.equal(sysfs.exported(), []);
});

test.run();
