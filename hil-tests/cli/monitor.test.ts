/**
 * `kerb monitor` as the gateway's end of a real node: the lamp's compiled bundle runs in QuickJS
 * behind the fake Espruino, its Serial1 wired through a @serialport/binding-mock port to the
 * monitor, all on the virtual clock. The node's hello and readings come out readably and as JSON
 * lines; garbage and bit-flipped frames are counted and shown, never a crash; a port that will
 * not open gives the technician's advice and exit 4. The last tests run the built command as a
 * shell would: usage errors, and a missing port through the real native serialport binding.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError, EXIT } from '../../scripts/cli-error.js';
import { monitor, type MonitorDeps, type MonitorRun } from '../../scripts/commands/monitor.js';
import { firmwareFor, nodeBuild } from '../harness/bundle-node.js';
import { FakeEspruino } from '../harness/espruino/fake-espruino.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { MockHal } from '../harness/mock-hal.js';
import { runClock, settle } from '../harness/run-clock.js';
import { SerialMockBridge } from '../harness/serial-mock-bridge.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';
import { LAMP_PINS, lampConfig, NIGHT_2310 } from '../devices/lamp-config.js';
import { kerb } from './run-kerb.js';

let ports = 0;

test.before(async () => {
  await quickJsModule();
});

interface RigOptions {
  /** Changes what the node puts on the wire before the monitor hears it. */
  line?: (bytes: Uint8Array) => Uint8Array;
  json?: boolean;
}

function rig(options: RigOptions = {}) {
  const clock = new VirtualClock({ startWall: NIGHT_2310 });
  const hal = new MockHal(clock);
  const bridge = new SerialMockBridge(`/dev/ttyKERB-monitor${++ports}`);
  const node = FakeEspruino.createLoaded({ clock, hal });
  const line = options.line ?? ((b) => b);
  node.serial1.onWrite((bytes) => bridge.toGateway(line(bytes)));
  bridge.onGatewayWrite((bytes) => node.serial1.send(bytes));
  const out: string[] = [];
  let interrupt: () => void = () => undefined;
  const deps: MonitorDeps = {
    open: bridge.open, clock, write: (t) => out.push(t), colour: false,
    interrupt: (stop) => {
      interrupt = stop;
      return () => (interrupt = () => undefined);
    },
  };
  const run: MonitorRun = {
    port: bridge.path, baud: 115200, json: options.json ?? false, count: Infinity, durationS: Infinity, place: { latitude: 52.3676, longitude: 4.9041 },
  };
  const text = () => out.join('');
  const lines = () => text().split('\n').filter((l) => l !== '');
  return { clock, hal, bridge, node, deps, run, out, text, lines, ctrlC: () => interrupt() };
}

type Rig = ReturnType<typeof rig>;

/** Starts the monitor, then powers the node up with the lamp's firmware. */
async function start(r: Rig, run: Partial<MonitorRun> = {}): Promise<{ done: Promise<number> }> {
  const done = monitor({ ...r.run, ...run }, r.deps);
  await waitFor(() => r.bridge.isOpen(), 'the monitor to open the port');
  await settle();
  r.node.flash(firmwareFor(nodeBuild('lamp', LAMP_PINS, lampConfig(), 'lamp-n1')));
  return { done }; // wrapped: an async function would wait for a returned promise
}

/** A pedestrian passes the node's lamp. */
async function pedestrian(r: Rig): Promise<void> {
  r.hal.setLevel('D2', 1);
  await runClock(r.clock, 2_000, 100);
  r.hal.setLevel('D2', 0);
  await runClock(r.clock, 5_000, 100);
}

test("the node's hello, readings and state come out one time-stamped line each; Ctrl-C closes the port and sums up", async () => {
  const r = rig();
  const { done } = await start(r);
  await runClock(r.clock, 8_000, 100);
  await pedestrian(r);
  await runClock(r.clock, 35_000, 250); // the lamp's 30 s hold and its fade
  r.ctrlC();
  assert.is(await done, EXIT.ok);
  assert.not.ok(r.bridge.isOpen(), 'the port is closed');
  const text = r.text();
  process.stdout.write(`\n--- kerb monitor (human) ---\n${text}---\n`);
  assert.match(text, /^\d\d:\d\d:\d\d\.\d{3}  open       \/dev\/ttyKERB-monitor\d+ at 115200 baud/m);
  assert.match(text, /^\d\d:\d\d:\d\d\.\d{3}  hello      lamp-n1 \(lamp\) fw 0\.0\.0-test profile test0000 boot \d+ mode run$/m);
  assert.match(text, /setup      sent time 2026-06-21T21:10:\d\d\.\d{3}Z and place 52\.3676, 4\.9041/);
  assert.match(text, /reading    motion = 1$/m);
  assert.match(text, /reading    level = 1$/m, 'full level on motion');
  assert.match(text, /state      .*mode=/);
  assert.match(text, /^summary: \d+ s on \/dev\/ttyKERB-monitor\d+$/m);
  assert.match(text, /frames: [1-9]\d* hello, [1-9]\d* data, \d+ repeated, 0 bad/);
  assert.match(text, /items: .*hello \d+.*reading \d+/);
  assert.is(r.hal.duty('D3'), 0.2, 'the node took the time and place: night, back at base level');
  assert.is(r.node.errors.length, 0, r.node.errors.map((e) => e.message).join('; '));
  r.node.dispose();
});

test('--json prints one object per line with time and type, and a summary object last; --count stops it', async () => {
  const r = rig({ json: true });
  const { done } = await start(r, { count: 6 });
  await runClock(r.clock, 8_000, 100);
  await pedestrian(r);
  assert.is(await done, EXIT.ok, '--count 6 ended it');
  assert.not.ok(r.bridge.isOpen());
  process.stdout.write(`\n--- kerb monitor --json ---\n${r.text()}---\n`);
  const objects = r.lines().map((l) => JSON.parse(l) as { time: string; type: string; [k: string]: unknown });
  for (const o of objects) assert.match(o.time, /^2026-06-21T21:1\d:\d\d\.\d{3}Z$/);
  const hello = objects.find((o) => o.type === 'hello')!;
  assert.equal([hello.id, hello.kind, hello.fw, hello.mode], ['lamp-n1', 'lamp', '0.0.0-test', 'run']);
  assert.ok(objects.some((o) => o.type === 'reading' && typeof o.metric === 'string' && typeof o.value === 'number'), 'a reading');
  const summary = objects[objects.length - 1]!;
  assert.is(summary.type, 'summary');
  assert.is(objects.filter((o) => ['hello', 'reading', 'event', 'state', 'result'].includes(o.type)).length, 6);
  assert.ok((summary.hellos as number) >= 1 && (summary.dataFrames as number) >= 1, JSON.stringify(summary));
  assert.is(summary.badFrames, 0);
  r.node.dispose();
});

test('garbage and bit-flipped frames are counted and shown, the link recovers and the readings still arrive', async () => {
  let flips = 0;
  let chunks = 0;
  // Every 5th chunk the node writes gets one bit flipped in the middle (a CRC failure).
  const r = rig({
    line: (bytes) => {
      if (++chunks % 5 !== 0 || bytes.length < 6) return bytes;
      flips++;
      const bad = Uint8Array.from(bytes);
      bad[bad.length >> 1] ^= 0x10;
      return bad;
    },
  });
  const { done } = await start(r);
  await runClock(r.clock, 8_000, 100);
  // Line noise: a boot banner, random bytes, zero-delimited junk and a runt frame.
  r.bridge.toGateway(new TextEncoder().encode('\r\n _____                 _\r\n|   __|___ ___ ___ _ _|_|___ ___\r\n'));
  r.bridge.toGateway(Uint8Array.from([0, 0x41, 0x42, 0x43, 0, 0xff, 0xfe, 0x01, 0x02, 0x03, 0, 0, 5, 0]));
  for (let i = 0; i < 3; i++) r.bridge.toGateway(Uint8Array.from({ length: 300 }, (_, k) => (k * 37 + i * 11) & 0xff));
  await settle();
  await pedestrian(r);
  await pedestrian(r);
  r.ctrlC();
  assert.is(await done, EXIT.ok);
  const text = r.text();
  const bad = [...text.matchAll(/bad-frames (\d+) bad frame\(s\) dropped \((\d+) in all\)/g)];
  assert.ok(bad.length >= 2, text);
  const shown = bad.reduce((n, m) => n + Number(m[1]), 0);
  const total = Number([...text.matchAll(/ (\d+) bad; /g)].pop()![1]); // the summary's, last
  assert.is(shown, total, 'every bad frame counted is shown');
  assert.ok(total >= 4 + flips, `garbage (at least 4) and ${flips} flipped frames, counted ${total}`);
  assert.ok(flips > 0);
  assert.match(text, /hello      lamp-n1/);
  assert.match(text, /reading    motion = 1$/m, 'the readings came through regardless');
  assert.is(r.node.errors.length, 0);
  r.node.dispose();
});

test('a payload the gateway decoder refuses is shown with its reason and counted, and the monitor goes on', async () => {
  const { encodeFrame, FRAME_DATA } = await import('../../firmware/link/frame.js');
  const { encodeCbor } = await import('../../gateway/batch/cbor.js');
  const r = rig({ json: true });
  const { done } = await start(r);
  await runClock(r.clock, 6_000, 100);
  // A well-framed payload with an unknown item type, on a seq the node's link would never use.
  r.bridge.toGateway(encodeFrame(FRAME_DATA, 200, 0, encodeCbor([[9, 'x']])));
  await settle();
  await pedestrian(r);
  r.ctrlC();
  assert.is(await done, EXIT.ok);
  const objects = r.lines().map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const refused = objects.find((o) => o.type === 'refused')!;
  assert.ok(refused, r.text());
  assert.match(refused.reason as string, /\[0\]\[0\]: unknown message type 9/);
  assert.is(objects[objects.length - 1]!.refusedPayloads, 1);
  assert.ok(objects.some((o) => o.type === 'reading' && o.metric === 'motion'), 'later frames still decoded');
  r.node.dispose();
});

test('a missing port or one the user may not open says what to do and exits 4; nothing is left open', async () => {
  const r = rig();
  r.bridge.unplug();
  const err = await monitor(r.run, r.deps).then(() => undefined, (e: unknown) => e);
  assert.instance(err, CliError);
  assert.is((err as CliError).exitCode, EXIT.unreachable);
  assert.match((err as CliError).message, /cannot open serial port \/dev\/ttyKERB-monitor\d+ .*is the node's cable plugged in.*\[E_SERIAL_MISSING\]/);
  process.stdout.write(`\n--- kerb monitor, port missing ---\nkerb: ${(err as CliError).message}\n---\n`);

  r.bridge.replug();
  r.bridge.failOpens(`Error: Permission denied, cannot open ${r.bridge.path}`);
  const denied = await monitor(r.run, r.deps).then(() => undefined, (e: unknown) => e);
  assert.is((denied as CliError).exitCode, EXIT.unreachable);
  assert.match((denied as CliError).message, /Permission denied.*dialout group \(sudo usermod -aG dialout USER\).*\[E_SERIAL_ACCESS\]/);
  assert.is(r.out.length, 0, 'nothing printed on stdout');
  assert.not.ok(r.bridge.isOpen());
  r.node.dispose();
});

test('a cable pulled while monitoring ends with the reason, the summary and exit 4', async () => {
  const r = rig();
  const { done } = await start(r);
  await runClock(r.clock, 6_000, 100);
  r.bridge.unplug();
  await settle();
  assert.is(await done, EXIT.unreachable);
  const text = r.text();
  assert.match(text, /lost       serial port \/dev\/ttyKERB-monitor\d+ was lost .*the cable was pulled or the USB adapter reset; kerb monitor stops here: start it again once the port is back$/m);
  assert.match(text, /^summary: /m);
  r.node.dispose();
});

test('kerb monitor: usage errors exit 2 and name the option', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['monitor'], /monitor needs --port PORT \('kerb ports' lists them\)/],
    [['monitor', '--port', '/dev/ttyUSB0', '--baud', '12'], /--baud must be a whole number from 9600 to 921600, got '12'/],
    [['monitor', '--port', '/dev/ttyUSB0', '--lat', '91', '--lon', '4'], /--lat must be a number from -90 to 90, got '91'/],
    [['monitor', '--port', '/dev/ttyUSB0', '--lat', '52'], /--lat and --lon go together/],
    [['monitor', '--port', '/dev/ttyUSB0', '--count', '0'], /--count must be a number >= 1/],
    [['monitor', '--port', '/dev/ttyUSB0', '--colour'], /Unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    const r = await kerb(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('kerb monitor on a port that does not exist (the real native binding) says to check the cable and the port, exit 4', async () => {
  const r = await kerb(['monitor', '--port', '/dev/ttyKERB-not-here', '--duration', '1']);
  assert.is(r.code, 4, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^kerb: cannot open serial port \/dev\/ttyKERB-not-here \(.*\): is the node's cable plugged in, and is \/dev\/ttyKERB-not-here the right port\? .*\[E_SERIAL_MISSING\]\n$/);
});

test.run();
