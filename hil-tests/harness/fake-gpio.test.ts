import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BinaryValue } from 'onoff';
import { createFakeGpio } from './fake-gpio.js';
import { PI5_CHIPS } from './fake-gpio-sysfs.js';
import { settle } from './run-clock.js';

function code(expected: string) {
  return (e: { code?: string }) => e.code === expected;
}

test('exporting, configuring and unexporting are recorded like sysfs does them', () => {
  const { sysfs, Gpio } = createFakeGpio();
  const led = new Gpio(17, 'high');
  const button = new Gpio(27, 'in', 'both');
  assert.equal(sysfs.exported(), [17, 27]);
  assert.equal([led.direction(), button.direction(), button.edge()], ['out', 'in', 'both']);
  assert.is(sysfs.read('/sys/class/gpio/gpio17/value'), '1\n');
  assert.ok(sysfs.exists('/sys/class/gpio/gpio27'));
  led.unexport();
  button.unexport();
  assert.equal(sysfs.exported(), []);
  assert.equal(sysfs.operations, [
    { op: 'export', gpio: 17 }, { op: 'export', gpio: 27 }, { op: 'unexport', gpio: 17 }, { op: 'unexport', gpio: 27 },
  ]);
  assert.throws(() => led.readSync(), code('EBADF'), 'nothing works after unexport');
});

test('a GPIO already exported is reused without exporting it again, as onoff does', () => {
  const { sysfs, Gpio } = createFakeGpio();
  sysfs.leaveExported(17, 'out', 1);
  const pin = new Gpio(17, 'in');
  assert.equal(sysfs.operations, [], 'no export written');
  assert.is(pin.direction(), 'in', 'reconfigured');
});

test('the kernel refuses numbers outside every chip (EINVAL), and a Pi 5 has no GPIO 17', () => {
  const { Gpio } = createFakeGpio({ chips: PI5_CHIPS });
  assert.throws(() => new Gpio(17, 'in'), code('EINVAL'));
  const pin = new Gpio(571 + 17, 'in');
  pin.unexport();
});

test('writing the export file for an exported GPIO is EBUSY; unexporting a free one is EINVAL', () => {
  const { sysfs } = createFakeGpio();
  sysfs.export(17);
  assert.throws(() => sysfs.write('/sys/class/gpio/export', '17'), code('EBUSY'));
  sysfs.write('/sys/class/gpio/unexport', '17');
  assert.throws(() => sysfs.unexport(17), code('EINVAL'));
});

test('injected failures hit the next matching operation only', () => {
  const { sysfs, Gpio } = createFakeGpio();
  sysfs.fail(17, 'export', 'EACCES');
  sysfs.fail(22, 'export', 'EBUSY', 2);
  assert.throws(() => new Gpio(17, 'in'), code('EACCES'));
  new Gpio(17, 'in').unexport();
  assert.throws(() => new Gpio(22, 'in'), code('EBUSY'));
  assert.throws(() => new Gpio(22, 'in'), code('EBUSY'));
  new Gpio(22, 'in').unexport();
  sysfs.fail(23, 'open', 'EACCES');
  assert.throws(() => new Gpio(23, 'in'), code('EACCES'));
  assert.equal(sysfs.exported(), [23], 'exported, but its value file could not be opened (onoff leaves it so)');
});

test('Gpio.accessible follows the flag, and an inaccessible sysfs refuses exports', () => {
  const { sysfs, Gpio } = createFakeGpio({ accessible: false });
  assert.is(Gpio.accessible, false);
  assert.throws(() => new Gpio(17, 'in'), code('EACCES'));
  sysfs.accessible = true;
  assert.is(Gpio.accessible, true);
});

test('watch callbacks run asynchronously, like epoll, and only for enabled edges', async () => {
  const { sysfs, Gpio } = createFakeGpio();
  const pin = new Gpio(27, 'in', 'rising');
  const seen: BinaryValue[] = [];
  pin.watch((err, value) => seen.push(err ? (-1 as BinaryValue) : value));
  sysfs.drive(27, 1);
  assert.equal(seen, [], 'not inside drive()');
  await settle();
  sysfs.drive(27, 0);
  await settle();
  assert.equal(seen, [1], 'the fall raised no interrupt');
  pin.unexport();
});

test('edges before the callback runs merge into one, which reads the level at that moment', async () => {
  const { sysfs, Gpio } = createFakeGpio();
  const pin = new Gpio(27, 'in', 'both');
  const seen: BinaryValue[] = [];
  pin.watch((_err, value) => seen.push(value));
  sysfs.drive(27, 1);
  sysfs.drive(27, 0);
  sysfs.drive(27, 1);
  await settle();
  assert.equal(seen, [1]);
  pin.unwatchAll();
  sysfs.drive(27, 0);
  await settle();
  assert.equal(seen, [1], 'nothing after unwatchAll');
  pin.unexport();
});

test('outputs: writeSync drives the pin, an input refuses it (EPERM), and async read/write work', async () => {
  const { sysfs, Gpio } = createFakeGpio();
  const out = new Gpio(17, 'low');
  out.writeSync(1);
  assert.is(sysfs.level(17), 1);
  await out.write(0);
  assert.is(await out.read(), 0);
  const input = new Gpio(27, 'in');
  assert.throws(() => input.writeSync(1), code('EPERM'));
  const err = await new Promise((resolve) => input.write(1, resolve));
  assert.is((err as { code?: string }).code, 'EPERM');
});

test('an output keeps driving after unexport, and comes back as an output when exported again', () => {
  const { sysfs, Gpio } = createFakeGpio();
  const out = new Gpio(17, 'high');
  out.unexport();
  assert.is(sysfs.level(17), 1);
  assert.ok(sysfs.isOutput(17));
  sysfs.export(17);
  assert.is(sysfs.read('/sys/class/gpio/gpio17/direction'), 'out\n');
});

test('active_low inverts what value reads and writes', () => {
  const { sysfs, Gpio } = createFakeGpio();
  const pin = new Gpio(27, 'in', 'none', { activeLow: true });
  sysfs.drive(27, 1);
  assert.is(pin.readSync(), 0);
  assert.is(pin.activeLow(), true);
});

test("onoff's debounceTimeout is refused: Kerb debounces on its own clock", () => {
  const { Gpio } = createFakeGpio();
  assert.throws(() => new Gpio(27, 'in', 'both', { debounceTimeout: 10 }), /debounceTimeout/);
});

test('wired pins: an output drives its partner, which raises its interrupt', async () => {
  const { sysfs, Gpio } = createFakeGpio();
  sysfs.wire(17, 27);
  const out = new Gpio(17, 'low');
  const input = new Gpio(27, 'in', 'both');
  const seen: BinaryValue[] = [];
  input.watch((_err, value) => seen.push(value));
  out.writeSync(1);
  await settle();
  assert.is(input.readSync(), 1);
  assert.equal(seen, [1]);
  out.unexport();
  input.unexport();
});

test('the chips read as the kernel lists them', () => {
  const { sysfs } = createFakeGpio({ chips: PI5_CHIPS });
  assert.ok(sysfs.list('/sys/class/gpio').includes('gpiochip571'));
  assert.is(sysfs.read('/sys/class/gpio/gpiochip571/label'), 'pinctrl-rp1\n');
  assert.is(sysfs.read('/sys/class/gpio/gpiochip571/ngpio'), '54\n');
  assert.is(sysfs.read('/sys/class/gpio/gpiochip9/base'), undefined);
});

test.run();
