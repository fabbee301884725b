import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeStorage } from './fake-storage.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

test('a file created with a size reads erased (0xFF) where nothing was written yet', () => {
  const s = new FakeStorage();
  s.write('a', bytes('Hi'), 0, 4);
  assert.equal([...s.read('a')!], [72, 105, 255, 255]);
  s.write('a', bytes('!!'), 2);
  assert.is(text(s.read('a')), 'Hi!!');
  assert.is(text(s.read('a', 1, 2)), 'i!');
});

test('writes that flash cannot do throw with Espruino messages and change nothing', () => {
  const s = new FakeStorage();
  assert.throws(() => s.write('b', bytes('x'), 3), /Unable to find or create file/);
  s.write('b', bytes('abc'), 0, 4);
  assert.throws(() => s.write('b', bytes('z'), 1), /File already written with different data/);
  assert.throws(() => s.write('b', bytes('zz'), 3), /Too much data for file size/);
  assert.throws(() => s.write('b', new Uint8Array(0)), /zero length/);
  assert.throws(() => s.write('x'.repeat(29), bytes('1')), /File name too long/);
  assert.is(text(s.read('b', 0, 3)), 'abc');
});

test('a plain write replaces the file; an identical rewrite programs nothing', () => {
  const s = new FakeStorage();
  s.write('c', bytes('one'));
  s.write('c', bytes('two!'));
  s.write('c', bytes('two!'));
  assert.is(text(s.read('c')), 'two!');
  assert.equal(s.wearOf('c'), { writes: 2, bytesWritten: 7 });
  assert.equal(s.totalWear(), { writes: 2, bytesWritten: 7 });
});

test('space runs out at the capacity, headers included, and erasing frees it', () => {
  const s = new FakeStorage({ capacityBytes: 256 });
  s.write('big', new Uint8Array(190));
  assert.is(s.getFree(), 256 - (32 + 192));
  assert.throws(() => s.write('more', new Uint8Array(8)), /Unable to find or create file/);
  s.write('big', new Uint8Array(180).fill(1)); // replacing in place still fits
  s.erase('big');
  assert.equal(s.list(), []);
  assert.is(s.getFree(), 256);
  assert.is(s.read('big'), undefined);
  assert.equal(s.wearOf('big').writes, 2);
});

test.run();
