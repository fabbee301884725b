import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from './mock-hal.js';
import { VirtualClock } from './virtual-clock.js';

function setup() {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const got: number[][] = [];
  const stream = hal.byteStream({ port: 'Serial1', baud: 9600, onData: (b) => got.push(Array.from(b)) });
  return { clock, hal, stream, got, peer: hal.serial('Serial1') };
}

test('bytes from the peer arrive on a clock timer, in order, one chunk per emit', () => {
  const { clock, peer, got } = setup();
  peer.emitData(new Uint8Array([1, 2]));
  peer.emitData([3]);
  assert.equal(got, []);
  clock.runDue();
  assert.equal(got, [[1, 2], [3]]);
});

test('the peer sees every write as a copy, and onWrite is called later, not inside write', () => {
  const { clock, stream, peer } = setup();
  const heard: number[][] = [];
  peer.onWrite((b) => heard.push(Array.from(b)));
  const buf = new Uint8Array([9, 8]);
  stream.write(buf);
  buf[0] = 0;
  assert.equal(heard, []);
  assert.equal(peer.written().map((c) => Array.from(c)), [[9, 8]]);
  clock.runDue();
  assert.equal(heard, [[9, 8]]);
});

test('a peer answering inside onWrite reaches the stream on a later timer', () => {
  const { clock, stream, peer, got } = setup();
  peer.onWrite(() => peer.emitData([0x06]));
  stream.write(new Uint8Array([0x05]));
  clock.runDue();
  assert.equal(got, [[0x06]]);
});

test('close drops data in flight; bytes sent to a closed port are counted as lost', () => {
  const { clock, stream, peer, got, hal } = setup();
  peer.emitData([1]);
  stream.close();
  clock.runDue();
  peer.emitData([2, 3]);
  clock.runDue();
  assert.equal(got, []);
  assert.is(peer.dropped(), 2);
  assert.not.ok(hal.isOpen('Serial1'));
  assert.throws(() => stream.write(new Uint8Array([1])), (e: { code?: string }) => e.code === 'E_HAL_CLOSED');
});

test('the same peer serves a reopened port', () => {
  const { clock, stream, peer, hal } = setup();
  stream.close();
  const got: number[][] = [];
  hal.byteStream({ port: 'Serial1', baud: 115200, onData: (b) => got.push(Array.from(b)) });
  assert.is(hal.serial('Serial1'), peer);
  peer.emitData([7]);
  clock.runDue();
  assert.equal(got, [[7]]);
});

test.run();
