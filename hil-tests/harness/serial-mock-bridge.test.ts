import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SerialLine } from '../../gateway/node/serial-line.js';
import { settle } from './run-clock.js';
import { SerialMockBridge } from './serial-mock-bridge.js';
import { waitFor } from './wait-for.js';

let n = 0;
const fresh = () => new SerialMockBridge(`/dev/ttyBRIDGE${++n}`);

test('bytes cross both ways, never synchronously, and the gateway side is a real serialport stream', async () => {
  const bridge = fresh();
  const heard: number[] = [];
  bridge.onGatewayWrite((bytes) => heard.push(...bytes));
  const line = await bridge.open({ path: bridge.path, baudRate: 9600 });
  const got: number[] = [];
  line.on('data', (chunk: Buffer) => got.push(...chunk));
  assert.equal([bridge.isOpen(), bridge.baudRate, bridge.opens], [true, 9600, 1]);
  line.write(Buffer.from([1, 2, 3]));
  assert.equal(heard, [], 'not inside write()');
  assert.ok(bridge.toGateway(Uint8Array.from([9, 8])));
  await waitFor(() => heard.length === 3 && got.length === 2, 'both directions');
  assert.equal([heard, got, [...bridge.written()]], [[1, 2, 3], [9, 8], [1, 2, 3]]);
  await new Promise((resolve) => line.close(resolve));
  assert.not.ok(bridge.isOpen());
  assert.not.ok(bridge.toGateway(Uint8Array.from([7])), 'no port open: the bytes are lost');
  assert.is(bridge.lostBytes, 1);
});

test('unplugging closes the open stream as serialport does for a vanished device, and opens fail until replugged', async () => {
  const bridge = fresh();
  const line: SerialLine = await bridge.open({ path: bridge.path, baudRate: 115200 });
  const closes: unknown[] = [];
  line.on('data', () => undefined);
  line.on('close', (err: unknown) => closes.push(err));
  bridge.unplug();
  await waitFor(() => closes.length === 1, 'the close event');
  const err = closes[0] as { disconnected?: boolean; message: string };
  assert.equal([err.disconnected, err.message], [true, 'Input/output error']);
  assert.not.ok(line.isOpen);

  const refused = await bridge.open({ path: bridge.path, baudRate: 115200 }).then(() => undefined, (e: Error) => e.message);
  assert.is(refused, `Error: No such file or directory, cannot open ${bridge.path}`);
  bridge.failOpens('Error: Permission denied, cannot open x');
  bridge.replug();
  const denied = await bridge.open({ path: bridge.path, baudRate: 115200 }).then(() => undefined, (e: Error) => e.message);
  assert.is(denied, 'Error: Permission denied, cannot open x');
  bridge.failOpens(undefined);
  const again = await bridge.open({ path: bridge.path, baudRate: 115200 });
  assert.ok(again.isOpen);
  assert.equal([bridge.opens, bridge.openFailures], [2, 2]);
  await new Promise((resolve) => again.close(resolve));
  await settle();
});

test("the mock's lock holds: a port open once cannot be opened twice", async () => {
  const bridge = fresh();
  const first = await bridge.open({ path: bridge.path, baudRate: 115200 });
  const second = await bridge.open({ path: bridge.path, baudRate: 115200 }).then(() => 'opened', (e: Error) => e.message);
  assert.is(second, 'Port is locked cannot open');
  await new Promise((resolve) => first.close(resolve));
});

test.run();
