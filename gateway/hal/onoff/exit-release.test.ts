import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeProcess } from '../../../hil-tests/harness/fake-process.js';
import { ExitRelease } from './exit-release.js';

function setup() {
  const proc = new FakeProcess();
  const registry = new ExitRelease(proc);
  const released: number[] = [];
  const hold = (gpio: number): void => registry.add(gpio, () => released.push(gpio));
  return { proc, registry, released, hold };
}

test('hooks are installed once, with the first pin, and removed with the last', () => {
  const { proc, registry, hold } = setup();
  assert.is(proc.hooks(), 0, 'nothing hooked while nothing is held');
  hold(588);
  hold(599);
  assert.is(proc.hooks(), 4, "'exit', SIGINT, SIGTERM and SIGHUP, once each");
  registry.remove(588);
  assert.is(proc.hooks(), 4);
  registry.remove(599);
  assert.is(proc.hooks(), 0);
  assert.equal(registry.gpios(), []);
});

test('process exit (also after an uncaught exception) releases every pin still held', () => {
  const { proc, registry, released, hold } = setup();
  hold(588);
  hold(599);
  proc.emit('exit', 1);
  assert.equal(released.sort(), [588, 599]);
  assert.not.ok(registry.has(588));
  assert.is(proc.hooks(), 0);
});

test('a signal nobody else handles releases the pins and is raised again, so the process still ends', () => {
  const { proc, released, hold } = setup();
  hold(588);
  proc.emit('SIGTERM', 'SIGTERM');
  assert.equal(released, [588]);
  assert.equal(proc.kills, [{ pid: proc.pid, signal: 'SIGTERM' }]);
  assert.is(proc.listenerCount('SIGTERM'), 0, 'our listener is gone, so the raised signal takes its default action');
});

test('a signal another listener handles is left to it: nothing released or raised, and exit still releases', () => {
  const { proc, released, hold } = setup();
  hold(588);
  const shutdowns: string[] = [];
  proc.on('SIGINT', (s: string) => shutdowns.push(s));
  proc.emit('SIGINT', 'SIGINT');
  assert.equal(shutdowns, ['SIGINT']);
  assert.equal(released, []);
  assert.equal(proc.kills, []);
  proc.emit('exit', 0);
  assert.equal(released, [588]);
});

test('one release that throws does not keep the others from running', () => {
  const { proc, registry, released, hold } = setup();
  registry.add(588, () => {
    throw new Error('EBADF');
  });
  hold(599);
  proc.emit('exit', 1);
  assert.equal(released, [599]);
  assert.equal(registry.gpios(), []);
});

test.run();
