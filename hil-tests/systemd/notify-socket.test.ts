/**
 * sd_notify over a fake notify socket the test owns: the message format, the no-op without
 * NOTIFY_SOCKET, and a socket that is gone (systemd restarting, a stale environment).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from '../../gateway/log/logger.js';
import { NotifySocket } from '../../gateway/systemd/notify-socket.js';
import { socketAddress } from '../../gateway/systemd/unix-datagram.js';
import { tempDir } from '../harness/temp-dir.js';
import { FakeNotifySocket } from './fake-notify-socket.js';

test('each call is one datagram of KEY=VALUE lines; a STATUS cannot break the format with a newline', () => {
  const sock = new FakeNotifySocket();
  const { log } = memoryLogger();
  const n = new NotifySocket({ socket: sock.name, log, monotonicUsec: () => 123456789n });
  n.ready('up');
  n.watchdog();
  n.status('spool: 12 batches\nlink: online');
  n.reloading();
  n.watchdogTrigger();
  n.stopping();
  assert.equal(sock.take(), [
    'READY=1\nSTATUS=up', 'WATCHDOG=1', 'STATUS=spool: 12 batches link: online',
    'RELOADING=1\nMONOTONIC_USEC=123456789', 'WATCHDOG=trigger', 'STOPPING=1',
  ]);
  n.close();
  sock.close();
});

test('without NOTIFY_SOCKET every call is a no-op, said once at debug level', () => {
  const { log, records } = memoryLogger();
  const n = NotifySocket.fromEnv({}, log);
  assert.is(n.enabled, false);
  n.ready();
  n.watchdog();
  n.stopping();
  assert.equal(records.map((r) => [r.level, r.event]), [['debug', 'systemd_notify_off']]);
});

test('a missing socket file does not crash: the failure is logged once, and recovery is said', () => {
  const file = path.join(tempDir('kerb-notify-'), 'gone.sock');
  const { log, records } = memoryLogger();
  const n = new NotifySocket({ socket: file, log });
  for (let i = 0; i < 5; i++) n.watchdog();
  const failed = records.filter((r) => r.event === 'systemd_notify_failed');
  assert.is(failed.length, 1);
  assert.match(String(failed[0]!.reason), /ENOENT/);
  const sock = new FakeNotifySocket({ at: file }); // systemd is back
  n.watchdog();
  assert.equal(sock.take(), ['WATCHDOG=1']);
  assert.equal(records.filter((r) => r.event === 'systemd_notify_recovered').map((r) => r.lost), [5]);
  n.close();
  sock.close();
});

test('a socket file that is not a socket does not crash either', () => {
  const file = path.join(tempDir('kerb-notify-'), 'plain-file');
  fs.writeFileSync(file, '');
  const { log, records } = memoryLogger();
  const n = new NotifySocket({ socket: file, log });
  n.ready();
  assert.match(String(records.find((r) => r.event === 'systemd_notify_failed')?.reason), /ECONNREFUSED|ENOTSOCK|EPROTOTYPE/);
  n.close();
});

test('a NOTIFY_SOCKET that is neither a path nor @abstract is refused with the reason', () => {
  const { log, records } = memoryLogger();
  const n = new NotifySocket({ socket: 'vsock:2:1234', log });
  assert.is(n.enabled, false);
  n.ready();
  assert.match(String(records.find((r) => r.event === 'systemd_notify_off')?.reason), /neither a path nor an '@' abstract name/);
});

test('abstract addresses are exactly their bytes; paths end in a NUL; overlong names are refused', () => {
  assert.equal([...socketAddress('@ab')], [1, 0, 0, 0x61, 0x62]);
  assert.equal([...socketAddress('/a')], [1, 0, 0x2f, 0x61, 0]);
  assert.throws(() => socketAddress('/' + 'x'.repeat(107)), /1\.\.107 bytes/);
  assert.throws(() => socketAddress(''), /EINVAL/);
});

test.run();
