/**
 * A blocked event loop sends nothing. This needs wall-clock time: the claim is about real
 * threads, that no timer, worker or native thread pings while JavaScript is stuck, and a virtual
 * clock only moves when the (blocked) test moves it, so it cannot show that. Kept short: a
 * 100 ms watchdog (pings every 50 ms) and a 300 ms block, well under a second in all.
 */
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { WatchdogPinger } from '../../gateway/systemd/watchdog.js';
import { FakeNotifySocket } from './fake-notify-socket.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForPing(sock: FakeNotifySocket, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (performance.now() < until) {
    if (sock.take().some((m) => m.startsWith('WATCHDOG=1'))) return true;
    await sleep(5);
  }
  return false;
}

test('no datagram arrives while the event loop is blocked; pings come back after it', async () => {
  const clock = new SystemClock();
  const sock = new FakeNotifySocket();
  const { log } = memoryLogger();
  const pinger = new WatchdogPinger({ clock, log, env: { NOTIFY_SOCKET: sock.name, WATCHDOG_USEC: '100000' } });
  const loop = clock.setInterval(() => pinger.tick(), 10);
  pinger.tick();
  pinger.ready();
  try {
    assert.ok(await waitForPing(sock, 300), 'pings arrive while the loop runs');
    sock.take();
    const blockedUntil = performance.now() + 300; // three watchdog intervals, six ping periods
    while (performance.now() < blockedUntil) { /* a stuck device loop: nothing else can run */ }
    // Still inside the block: whatever was sent during it is in the socket's queue now.
    assert.equal(sock.take(), [], 'nothing was sent during the block');
    assert.ok(await waitForPing(sock, 400), 'pings resume once the loop runs again');
  } finally {
    clock.clearTimer(loop);
    pinger.close();
    sock.close();
  }
});

test.run();
