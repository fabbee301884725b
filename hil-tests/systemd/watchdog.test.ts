/**
 * The systemd watchdog against a fake notify socket the test owns (a real Unix datagram socket),
 * on the virtual clock: pings arrive at half WATCHDOG_USEC only while the device loop ticks and
 * the uplink makes progress or waits for a good reason.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from '../../gateway/log/logger.js';
import { WatchdogPinger, type UplinkProgress } from '../../gateway/systemd/watchdog.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { FakeNotifySocket } from './fake-notify-socket.js';

const WATCHDOG_USEC = '30000000'; // WatchdogSec=30, as in deploy/kerb-gateway.service

interface Heard { at: number; message: string }

function rig(options: { env?: Record<string, string>; abstract?: boolean; stallLimitMs?: number } = {}) {
  const clock = new VirtualClock();
  const sock = new FakeNotifySocket({ abstract: options.abstract ?? false });
  const { log, records } = memoryLogger();
  const uplink: UplinkProgress = { state: 'online', pending: 0, inflight: 0, sent: 0 };
  const pinger = new WatchdogPinger({
    clock, log, uplink: () => ({ ...uplink }), pid: 4242,
    env: { NOTIFY_SOCKET: sock.name, WATCHDOG_USEC, ...options.env },
    ...(options.stallLimitMs === undefined ? {} : { stallLimitMs: options.stallLimitMs }),
  });
  // The gateway's device loop: a 1 s interval on the clock that calls tick(); `loop.stuck` stops it.
  const loop = { stuck: false };
  clock.setInterval(() => { if (!loop.stuck) pinger.tick(); }, 1000);
  const heard: Heard[] = [];
  /** Advances in 1 s steps, draining the socket after each, so every message has its time. */
  const run = (ms: number): Heard[] => {
    const from = heard.length;
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      for (const message of sock.take()) heard.push({ at: clock.now(), message });
    }
    return heard.slice(from);
  };
  const pings = (list: Heard[]): number[] => list.filter((h) => h.message.split('\n').includes('WATCHDOG=1')).map((h) => h.at);
  const done = (): void => { pinger.close(); sock.close(); };
  return { clock, sock, log, records, uplink, pinger, loop, run, pings, done };
}

test('READY=1 arrives when ready() is called, not before, and pings start only then', () => {
  const r = rig();
  assert.equal(r.run(60_000), [], 'nothing while starting up (systemd arms the watchdog at READY=1)');
  r.pinger.ready();
  assert.equal(r.sock.take(), ['READY=1\nSTATUS=running']);
  assert.equal(r.pings(r.run(31_000)), [60_000 + 15_000, 60_000 + 30_000]);
  r.done();
});

test('WATCHDOG=1 arrives every half interval while healthy', () => {
  const r = rig();
  r.pinger.ready();
  r.sock.take();
  const heard = r.run(120_000);
  assert.equal(r.pings(heard), [15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000, 120_000]);
  assert.equal(heard.map((h) => h.message).filter((m) => m !== 'WATCHDOG=1'), [], 'only pings while nothing changes');
  r.done();
});

test('a stuck device loop stops the pings before systemd would have to wait longer than twice WatchdogSec', () => {
  const r = rig();
  r.pinger.ready();
  r.run(20_000);
  r.loop.stuck = true; // last tick at 20 s
  const heard = r.run(300_000);
  const pings = r.pings(heard);
  assert.ok(pings.length <= 2, `pings after the loop stopped: ${pings.join(', ')}`);
  assert.ok(pings.every((at) => at - 20_000 <= 30_000), 'no ping for a tick older than the watchdog interval');
  const status = heard.filter((h) => h.message.startsWith('STATUS='));
  assert.equal(status.length, 1, 'STATUS says why, once');
  assert.match(status[0]!.message, /watchdog withheld: the device loop last ticked/);
  const withheld = r.records.filter((x) => x.event === 'watchdog_withheld');
  assert.equal(withheld.length, 1, 'logged once, not at every missed ping');
  assert.is(withheld[0]!.code, 'E_LOOP_STALLED');
  r.done();
});

test('a device loop that never ticked is not reported healthy', () => {
  const r = rig();
  r.loop.stuck = true;
  r.pinger.ready();
  r.sock.take();
  assert.equal(r.pings(r.run(60_000)), []);
  assert.is(r.records.find((x) => x.event === 'watchdog_withheld')?.code, 'E_LOOP_NOT_TICKING');
  r.done();
});

test('pings resume when the device loop ticks again', () => {
  const r = rig();
  r.pinger.ready();
  r.run(5_000);
  r.loop.stuck = true;
  r.run(90_000);
  r.sock.take();
  r.loop.stuck = false;
  const heard = r.run(16_000);
  assert.equal(heard.map((h) => h.message), ['WATCHDOG=1\nSTATUS=running']);
  assert.ok(r.records.some((x) => x.event === 'watchdog_resumed' && x.after === 'E_LOOP_STALLED'));
  r.done();
});

test('an uplink online with a backlog and no progress past the stall limit is wedged: pings stop', () => {
  const r = rig();
  r.pinger.ready();
  r.run(30_000);
  Object.assign(r.uplink, { state: 'online', pending: 50, inflight: 10 }); // and `sent` stays put
  const heard = r.run(300_000);
  const pings = r.pings(heard);
  assert.ok(pings.length > 0 && pings.every((at) => at <= 30_000 + 120_000 + 15_000), `pings: ${pings.join(', ')}`);
  assert.ok(pings.at(-1)! >= 30_000 + 120_000, 'the stall limit (2 min) is allowed in full');
  const status = heard.filter((h) => h.message.startsWith('STATUS='));
  assert.equal(status.length, 1);
  assert.match(status[0]!.message, /uplink is online with 50 pending and 10 in flight but sent nothing/);
  assert.is(r.records.filter((x) => x.event === 'watchdog_withheld').length, 1);
  r.done();
});

test('the wedged uplink recovers: pings resume once `sent` moves', () => {
  const r = rig();
  r.pinger.ready();
  Object.assign(r.uplink, { state: 'online', pending: 50, inflight: 10 });
  r.run(200_000);
  assert.equal(r.pings(r.run(60_000)), []);
  r.uplink.sent += 10;
  const heard = r.run(15_000);
  assert.equal(heard.map((h) => h.message), ['WATCHDOG=1\nSTATUS=running']);
  assert.ok(r.records.some((x) => x.event === 'watchdog_resumed' && x.after === 'E_UPLINK_WEDGED'));
  r.done();
});

test('an uplink offline, connecting or backing off with a backlog is legitimately waiting: pings go on', () => {
  const r = rig();
  r.pinger.ready();
  Object.assign(r.uplink, { pending: 5000, inflight: 0 });
  for (const state of ['backoff', 'connecting', 'idle']) {
    r.uplink.state = state;
    assert.is(r.pings(r.run(600_000)).length, 40, `ten minutes in '${state}'`);
  }
  // Back online: the stall limit counts from here, not from when the backlog began.
  r.uplink.state = 'online';
  assert.is(r.pings(r.run(120_000)).length, 8);
  assert.is(r.records.filter((x) => x.event === 'watchdog_withheld').length, 0);
  r.done();
});

test('an idle uplink (online, nothing to send) and a slow steady drain both keep the pings going', () => {
  const r = rig();
  r.pinger.ready();
  assert.is(r.pings(r.run(600_000)).length, 40, 'online and idle for ten minutes');
  Object.assign(r.uplink, { pending: 100_000, inflight: 20 });
  r.clock.setInterval(() => { r.uplink.sent += 1; }, 60_000); // one acknowledgement a minute
  assert.is(r.pings(r.run(600_000)).length, 40);
  r.done();
});

test('a shorter stall limit is honoured', () => {
  const r = rig({ stallLimitMs: 20_000 });
  r.pinger.ready();
  Object.assign(r.uplink, { pending: 1, inflight: 1 });
  // The stall is counted from the first look at the uplink (the ping at 15 s): 30 s is 15 s into
  // it, 45 s is 30 s, past the 20 s limit.
  assert.equal(r.pings(r.run(60_000)), [15_000, 30_000]);
  r.done();
});

test('stopping() sends STOPPING=1 and ends the pings', () => {
  const r = rig();
  r.pinger.ready();
  r.run(20_000);
  r.sock.take();
  r.pinger.stopping();
  assert.equal(r.sock.take(), ['STOPPING=1\nSTATUS=stopping']);
  assert.equal(r.run(120_000), []);
  r.pinger.ready(); // a late ready() from a start-up racing the shutdown changes nothing
  assert.equal(r.sock.take(), []);
  r.done();
});

test('a reload sends RELOADING=1 with CLOCK_MONOTONIC in µs, then READY=1, and the pings go on', () => {
  const r = rig();
  r.pinger.ready();
  r.sock.take();
  const before = process.hrtime.bigint() / 1000n;
  r.pinger.reloading();
  const after = process.hrtime.bigint() / 1000n;
  const [reloading] = r.sock.take();
  const m = /^RELOADING=1\nMONOTONIC_USEC=(\d+)$/.exec(reloading ?? '');
  assert.ok(m, `got ${JSON.stringify(reloading)}`);
  const usec = BigInt(m![1]!);
  assert.ok(usec >= before && usec <= after);
  r.pinger.ready();
  assert.equal(r.sock.take(), ['READY=1\nSTATUS=running']);
  assert.is(r.pings(r.run(30_000)).length, 2, 'one timer, not a second one per READY=1');
  r.done();
});

test('no pings when WATCHDOG_PID names another process; READY=1 still goes out', () => {
  const r = rig({ env: { WATCHDOG_PID: '1' } });
  assert.is(r.pinger.intervalMs, undefined);
  r.pinger.ready();
  assert.equal(r.sock.take(), ['READY=1\nSTATUS=running']);
  assert.equal(r.run(120_000), []);
  assert.ok(r.records.some((x) => x.event === 'systemd_watchdog_off' && /WATCHDOG_PID names pid 1/.test(String(x.reason))));
  r.done();
});

test('pings when WATCHDOG_PID names this process', () => {
  const r = rig({ env: { WATCHDOG_PID: '4242' } });
  r.pinger.ready();
  assert.is(r.pings(r.run(30_000)).length, 2);
  r.done();
});

test('no WATCHDOG_USEC: READY=1 and STOPPING=1 only', () => {
  const r = rig({ env: { WATCHDOG_USEC: '' } });
  r.pinger.ready();
  const heard = r.run(120_000).map((h) => h.message);
  r.pinger.stopping();
  assert.equal([...heard, ...r.sock.take()], ['READY=1\nSTATUS=running', 'STOPPING=1\nSTATUS=stopping']);
  r.done();
});

test('an abstract NOTIFY_SOCKET (@name) works', () => {
  const r = rig({ abstract: true });
  assert.match(r.sock.name, /^@kerb-test-/);
  r.pinger.ready();
  assert.equal(r.sock.take(), ['READY=1\nSTATUS=running']);
  assert.is(r.pings(r.run(30_000)).length, 2);
  r.done();
});

test('health() says what the next ping would do', () => {
  const r = rig();
  r.pinger.ready();
  r.run(5_000);
  assert.equal(r.pinger.health(), { healthy: true });
  r.loop.stuck = true;
  r.run(40_000);
  const h = r.pinger.health();
  assert.is(h.healthy, false);
  assert.is(h.healthy === false && h.code, 'E_LOOP_STALLED');
  r.done();
});

test.run();
