/**
 * `kerb ports` (and the help of both serial commands) as a technician's shell runs them. The
 * listing itself is tested on fakes in scripts/serial/port-list.test.ts; this run only needs the
 * machine to answer, with or without udevadm.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kerb } from './run-kerb.js';

test('kerb --help lists ports and monitor', async () => {
  const r = await kerb(['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^ {2}ports\s+list serial ports/m);
  assert.match(r.stdout, /^ {2}monitor\s+watch a node's serial link live/m);
});

test('both commands have help with an example and their exit codes', async () => {
  const ports = await kerb(['ports', '--help']);
  assert.is(ports.code, 0);
  assert.match(ports.stdout, /^usage: kerb ports \[--json\] \[--all\]/);
  assert.match(ports.stdout, /Exit codes: 0 listed \(also when no port is found\), 1 the ports could not be listed, 2 usage error/);
  assert.match(ports.stdout, /examples:\n {2}kerb ports\n/);
  const monitor = await kerb(['monitor', '--help']);
  assert.is(monitor.code, 0);
  assert.match(monitor.stdout, /^usage: kerb monitor --port PORT/);
  assert.match(monitor.stdout, /4 the port could not be opened or was lost/);
  assert.match(monitor.stdout, /examples:\n {2}kerb monitor --port \/dev\/ttyUSB0\n/);
});

test('kerb ports --json always answers with a listing on this machine (with or without udevadm)', async () => {
  const r = await kerb(['ports', '--json']);
  assert.is(r.code, 0, r.stderr);
  const listing = JSON.parse(r.stdout) as { source: string; ports: unknown[]; notes: string[] };
  assert.ok(['serialport', 'dev-scan'].includes(listing.source));
  assert.ok(Array.isArray(listing.ports) && Array.isArray(listing.notes));
});

test('kerb ports: an unexpected argument is a usage error, exit 2', async () => {
  const r = await kerb(['ports', 'extra']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /Unexpected argument 'extra'/);
});

test.run();
