/**
 * The firmataMock contract bench does what BackendBench promises, before any contract suite
 * leans on it: each control reaches the backend through the mock board and back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firmataMock } from '../contract/firmata-bench.js';

test('the bench offers a ready johnny-five backend on mock-firmata with every capability', async () => {
  assert.is(firmataMock.unavailable(), undefined);
  const bench = await firmataMock.create();
  assert.is(bench.name, 'johnny-five (mock-firmata)');
  assert.equal(bench.capabilities, { digitalIn: true, digitalOut: true, pwm: true, analogIn: true, pulseIn: true, pullUp: true });
  assert.equal([bench.dutyResolution, bench.analogResolution], [1 / 255, 1 / 1023]);
  await bench.close();
});

test('setInput reaches a watch; outputLevel and outputDuty show what the backend wrote', async () => {
  const bench = await firmataMock.create();
  const [inPin, outPin] = bench.pins.digital;
  const edges: number[] = [];
  const watch = bench.hal.digitalIn({ pin: inPin!, edge: 'both', debounceMs: 10, onEdge: (e) => edges.push(e.value) });
  bench.setInput(inPin!, 1);
  assert.is(watch.read(), 1);
  await bench.settle(10);
  assert.equal(edges, [1]);
  const out = bench.hal.digitalOut({ pin: outPin!, initial: 1 });
  assert.is(bench.outputLevel(outPin!), 1);
  out.write(0);
  assert.is(bench.outputLevel(outPin!), 0);
  const pwm = bench.hal.pwm({ pin: bench.pins.pwm[0]!, frequency: 1000, initial: 0.5 });
  assert.ok(Math.abs(bench.outputDuty(bench.pins.pwm[0]!) - 0.5) <= 1 / 255);
  pwm.write(1);
  assert.is(bench.outputDuty(bench.pins.pwm[0]!), 1);
  await bench.close();
});

test('setAnalog and setEcho answer the analog input and every ping pair', async () => {
  const bench = await firmataMock.create();
  const light = bench.hal.analogIn({ pin: bench.pins.analog[0]! });
  bench.setAnalog(bench.pins.analog[0]!, 0.3);
  assert.ok(Math.abs(light.read() - 0.3) <= 0.5 / 1023);
  for (const [trigger, echo] of bench.pins.ping) {
    const ping = bench.hal.pulseIn({ trigger, echo, triggerUs: 10, timeoutMs: 30 });
    bench.setEcho(echo, 2900);
    const got: number[] = [];
    ping.measure((us) => got.push(us));
    await bench.settle(30);
    bench.setEcho(echo, -1);
    ping.measure((us) => got.push(us));
    await bench.settle(30);
    assert.equal(got, [2900, -1], `${trigger}/${echo}`);
  }
  await bench.close();
});

test("the bench's invalid pin is refused", async () => {
  const bench = await firmataMock.create();
  assert.throws(() => bench.hal.digitalOut({ pin: bench.pins.invalid, initial: 0 }), (err: { code?: string }) => err.code === 'E_HAL_OPTIONS');
  await bench.close();
});

test.run();
