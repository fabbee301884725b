/**
 * A node's cable pulled and plugged back, a hung USB adapter, and ports that will not open: one
 * fault per outage, reopening with backoff on the virtual clock, and the data flowing again after.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describePortError } from '../../gateway/node/port-error.js';
import { openSerialPort } from '../../gateway/node/serial-line.js';
import { runClock } from '../harness/run-clock.js';
import { waitFor } from '../harness/wait-for.js';
import { serialRig } from './serial-rig.js';

test('a pulled cable is one link-down fault; the port is retried after 1, 2, 4 ... 30 s; plugged back, data flows again', async () => {
  const r = serialRig();
  await r.connect();
  r.node.emit([{ type: 'reading', metric: 'field', value: 45, time: r.clock.now() }]);
  await waitFor(() => r.outputs.length === 1, 'a reading before');

  r.bridge.unplug();
  await waitFor(() => r.driver.state().link === 'down', 'the driver to notice');
  const pulledAt = r.clock.now();
  const [down] = r.events('link-down');
  assert.is(down?.severity, 'fault');
  assert.match(down!.detail, `serial port ${r.port} was lost (Input/output error): the cable was pulled or the USB adapter reset`);
  const offline = r.driver.command({ name: 'recalibrate', args: {} });
  assert.equal([offline.code, offline.message], ['E_CMD_OFFLINE', `the node on ${r.port} is offline: ${down!.detail}`]);

  await runClock(r.clock, 100_000, 500);
  const retries = r.openedAt.slice(1).map((t) => t - pulledAt);
  assert.equal(retries, [1_000, 3_000, 7_000, 15_000, 31_000, 61_000, 91_000], 'waits of 1, 2, 4, 8, 16, 30, 30 s');
  assert.is(r.events('link-down').length, 1, 'one fault for the whole outage');
  assert.is(r.bridge.openFailures, 7);
  assert.match(String(r.logged('node.open-failed')[0]?.error), `cannot open serial port ${r.port} (No such file or directory, cannot open ${r.port}): is the node's cable plugged in`);

  r.bridge.replug();
  r.node.restart(); // a node powered over USB boots again when plugged back
  await runClock(r.clock, 30_000, 500);
  await waitFor(() => r.driver.state().link === 'up', 'the node heard again');
  const [up] = r.events('link-up');
  assert.is(up?.severity, 'info');
  // Reopened at 121 s; the node's hello, resent every 4 s since it booted at 100 s while the
  // port was still closed, gets through at 123.5 s.
  assert.is(up?.value, 124);
  assert.is(r.node.gatewayHellos.length, 2, 'a fresh hello on the new connection');
  assert.is(r.node.setups().length, 2, 'and time and place again');

  r.node.emit([{ type: 'reading', metric: 'field', value: 46, time: r.clock.now() }]);
  await waitFor(() => r.outputs.filter((o) => o.type === 'reading').length === 2, 'a reading after');
  const stats = r.driver.stats();
  assert.equal([stats.opens, stats.openFailures, stats.reconnects, stats.outages], [2, 7, 1, 1]);
  await r.stop();
});

test('a port open but silent for 3 x 90 s is closed and reopened, a full period apart while it stays silent; one fault for it all', async () => {
  const r = serialRig();
  await r.connect();
  r.hang(2); // the adapter passes nothing, and one reopen does not cure it
  await runClock(r.clock, 91_000, 1_000);
  assert.is(r.driver.state().link, 'silent');
  await runClock(r.clock, 178_000, 1_000);
  assert.is(r.bridge.opens, 1, 'not reopened before 270 s of silence');

  await runClock(r.clock, 2_000, 500);
  assert.equal(r.openedAt, [0, 271_000], 'closed at 270 s, reopened after the 1 s backoff');
  assert.is(r.bridge.opens, 2);
  const [reopen] = r.logged('node.port-reopen');
  assert.equal([reopen?.level, reopen?.reason, reopen?.silentReopens],
    ['warn', 'nothing heard for 270 s with the port open: closing it and opening it again (a hung USB serial adapter recovers so)', 1]);

  await runClock(r.clock, 268_000, 1_000);
  assert.is(r.bridge.opens, 2, 'still silent: the next reopen waits a full period from the last open');
  await runClock(r.clock, 4_000, 500);
  assert.equal(r.openedAt, [0, 271_000, 543_000], 'then closed at 541 s and reopened after 2 s');

  r.node.sendState({ occupied: false }); // the line passes again: the node is heard
  await waitFor(() => r.driver.state().link === 'up', 'the node heard again');
  assert.equal(r.events().map((e) => [e.name, e.severity, e.value]), [['link-silent', 'fault', 1], ['link-up', 'info', 453]],
    'one fault for the outage (silent from 90 s to 543 s), none per reopen');
  const stats = r.driver.stats();
  assert.equal([stats.opens, stats.reconnects, stats.silentReopens, stats.outages], [3, 2, 2, 1]);
  assert.is(r.logged('node.port-reopen').length, 2);
  await r.stop();
});

test('a port that cannot be opened says which and what to do, and is retried until it can', async () => {
  const r = serialRig();
  r.bridge.failOpens(`Error: Permission denied, cannot open ${r.port}`);
  r.driver.start();
  await waitFor(() => r.driver.state().link === 'down', 'the failed open');
  const [down] = r.events('link-down');
  assert.match(down!.detail, `cannot open serial port ${r.port} (Permission denied, cannot open ${r.port}): add the user the gateway runs as to the dialout group`);

  r.bridge.failOpens(undefined); // the technician fixed the group
  await runClock(r.clock, 1_000, 500);
  await waitFor(() => r.bridge.isOpen(), 'the port');
  r.node.start();
  await waitFor(() => r.driver.state().link === 'up', 'the node');
  assert.is(r.events('link-up').length, 1);
  await r.stop();
});

test('a port lost with commands in flight says they were lost', async () => {
  const r = serialRig();
  await r.connect();
  r.node.stop(); // a node that hangs: it no longer acknowledges or answers
  assert.is(r.driver.command({ name: 'recalibrate', args: {} }).ok, true);
  r.bridge.unplug();
  await waitFor(() => r.driver.state().link === 'down', 'the loss');
  const [lost] = r.logged('node.command-lost');
  assert.equal([lost?.id, lost?.command, lost?.reason], [1, 'recalibrate', 'the connection to the node was lost before it answered']);
  assert.is(r.driver.stats().commandsLost, 1);
  await r.stop();
  assert.is(r.clock.pending(), 0, 'stopping while down clears the reopen timer');
});

test("serialport's own binding: a port that does not exist is named, with what to check", async () => {
  const port = '/dev/kerb-no-such-port';
  const err = await openSerialPort({ path: port, baudRate: 115200 }).then(() => undefined, (e: unknown) => e);
  assert.ok(err, 'opening must fail');
  const described = describePortError(port, err, 'open');
  assert.is(described.code, 'E_SERIAL_MISSING');
  assert.match(described.message, `cannot open serial port ${port}`);
  assert.match(described.message, 'plugged in');
});

test.run();
