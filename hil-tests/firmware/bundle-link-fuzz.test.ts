/**
 * The serial link fuzzed against the lamp bundle in the fake Espruino. Between the gateway's
 * valid frames the line carries random garbage, frames cut short, frames with one bit flipped
 * and frames heard twice (seeded, so a failure replays). The node must never crash or reset,
 * must apply and answer every command exactly once and in order, must count what it threw
 * away, and must keep reporting. Then the other way: noise and repeats mixed into what the
 * node writes, and the gateway end still gets every output once.
 *
 * Injections never split a valid frame (they go in between whole writes), so the broken frames
 * are exactly the injected ones; a flipped bit or a garbage burst that holds a 0x00 breaks into
 * several pieces, each of which the reader may count, so the bound on frame errors is the
 * number of pieces (runs of non-zero bytes) injected.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeFrame, FRAME_DATA } from '../../firmware/link/frame.js';
import { encodeCommand } from '../../gateway/node/node-messages.js';
import { NIGHT_2310 } from '../devices/lamp-config.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { Random } from '../harness/random.js';
import { bench, bootHellos, profileBuild, type Bench } from './node-bench.js';

const BUILD = profileBuild('lamp-pir-pwm', 'lamp-07');
const PIR = BUILD.pins.pir;
const DRIVER = BUILD.pins.driver;
const S = 1000;
const COMMANDS = 60;

type Injection = 'garbage' | 'truncated' | 'bit-flip' | 'repeat';

/** Runs of non-zero bytes: the most frames these bytes can break. */
function pieces(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0 && (i === 0 || bytes[i - 1] === 0)) n++;
  return n;
}

/** Line noise: 1..40 random bytes (a 0x00 among them as often as chance has it). */
function garbage(rng: Random): Uint8Array {
  return Uint8Array.from({ length: rng.int(1, 40) }, () => rng.int(0, 255));
}

/** The wire type of a whole frame as the link writes it (0x00, COBS code, type, ...). */
function frameType(wire: Uint8Array): number {
  return wire.length > 2 && wire[0] === 0 ? wire[2]! : -1;
}

/** A command frame as a gateway would send it, at a seq the node does not expect. */
function commandFrame(rng: Random, id: number): Uint8Array {
  return encodeFrame(FRAME_DATA, rng.int(0, 255), 0, encodeCommand(id, { name: 'override', args: { level: 0, durationS: 3600 } }));
}

const benches: Bench[] = [];
test.before(async () => void (await quickJsModule()));
test.after.each(() => {
  for (const b of benches.splice(0)) b.stop();
});

test('garbage, truncated, bit-flipped and repeated frames towards the node: every command is answered once, in order, and the node carries on', () => {
  const rng = new Random(4242);
  let lastGatewayData: Uint8Array | undefined;
  const b = bench({
    build: BUILD, startWall: NIGHT_2310,
    toNode: (bytes, deliver) => {
      if (frameType(bytes) === FRAME_DATA) lastGatewayData = Uint8Array.from(bytes);
      deliver(bytes);
    },
  });
  benches.push(b);
  b.clock.advance(10 * S); // hello, setup, the controller's first state
  const before = b.hal.pwmWrites(DRIVER).length;

  const injected: Record<Injection, number> = { garbage: 0, truncated: 0, 'bit-flip': 0, repeat: 0 };
  let brokenPieces = 0;
  const inject = (bytes: Uint8Array, kind: Injection): void => {
    injected[kind]++;
    if (kind !== 'repeat') brokenPieces += pieces(bytes);
    b.node.serial1.send(bytes);
  };
  const sent: number[] = [];
  const levels: number[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const level = (i + 1) / (COMMANDS + 4); // distinct, so each application shows on the pin
    sent.push(b.gw.command({ name: 'override', args: { level, durationS: 3600 } }));
    levels.push(level);
    for (let k = rng.int(1, 3); k > 0; k--) {
      const kind = rng.pick<Injection>(['garbage', 'truncated', 'bit-flip', 'repeat']);
      if (kind === 'garbage') inject(garbage(rng), kind);
      if (kind === 'truncated') {
        const frame = commandFrame(rng, 60_000 + i);
        inject(frame.subarray(0, rng.int(2, frame.length - 2)), kind); // at least its closing 0x00 and last byte gone
      }
      if (kind === 'bit-flip') {
        const frame = Uint8Array.from(commandFrame(rng, 61_000 + i));
        frame[rng.int(0, frame.length - 1)]! ^= 1 << rng.int(0, 7);
        inject(frame, kind);
      }
      if (kind === 'repeat' && lastGatewayData !== undefined) inject(lastGatewayData, kind);
      b.clock.advance(rng.int(0, 300)); // some land while a command is in flight, some after
    }
    b.clock.advance(rng.int(0, 1500));
  }
  b.clock.advance(30 * S); // every resend done, a heartbeat's state out

  assert.equal(b.node.errors, [], 'no uncaught errors in the node');
  assert.equal(b.node.resets, [], 'no reset');
  for (const kind of Object.keys(injected) as Injection[]) assert.ok(injected[kind] > 0, `some ${kind} frames were injected`);
  const answered = b.gw.results.map((r) => r.id);
  assert.equal(answered, sent, 'each command answered exactly once, in the order sent');
  assert.ok(b.gw.results.every((r) => r.code === 'OK'), 'and applied');
  assert.equal(b.hal.pwmWrites(DRIVER).slice(before).map((w) => w.duty), levels, 'each level applied once, in order; nothing injected was applied');
  const linkErrors = b.gw.state?.linkErrors as number;
  assert.ok(linkErrors > 0, 'the node counted the broken frames');
  assert.ok(linkErrors <= brokenPieces, `${linkErrors} frame errors, at most the ${brokenPieces} broken pieces injected`);
  assert.is(b.gw.state?.refused, 0, 'no broken frame got through as a payload');

  const motions = b.gw.values('motion').length;
  b.gw.command({ name: 'clear-override', args: {} });
  b.hal.setLevel(PIR, 1);
  b.clock.advance(S);
  b.hal.setLevel(PIR, 0);
  b.clock.advance(S);
  assert.is(b.gw.values('motion').length, motions + 1, 'readings still arrive');
  assert.is(b.hal.duty(DRIVER), 1, 'and the lamp still answers motion');
});

test('noise and repeated frames towards the gateway: its link counts the noise and gets every output once', () => {
  const rng = new Random(99);
  let noisePieces = 0;
  let repeats = 0;
  const b = bench({
    build: BUILD, startWall: NIGHT_2310,
    toGateway: (bytes, deliver) => {
      if (rng.chance(0.2)) {
        const g = garbage(rng);
        noisePieces += pieces(g);
        deliver(g);
      }
      deliver(bytes);
      // A frame heard twice in a row, as after a resend whose first copy did arrive.
      if (frameType(bytes) === FRAME_DATA && rng.chance(0.15)) {
        repeats++;
        deliver(bytes);
      }
    },
  });
  benches.push(b);
  b.clock.advance(10 * S);
  const edges = 40;
  const sent: number[] = [];
  for (let i = 0; i < edges; i++) {
    b.hal.setLevel(PIR, 1);
    b.clock.advance(rng.int(1 * S, 3 * S));
    b.hal.setLevel(PIR, 0);
    if (i % 8 === 0) sent.push(b.gw.command({ name: 'override', args: { level: 0.5, durationS: 1 } }));
    b.clock.advance(rng.int(5 * S, 40 * S));
  }
  b.clock.advance(30 * S);

  assert.equal(b.node.errors, []);
  assert.equal(b.node.resets, []);
  assert.ok(repeats > 0, 'some frames were repeated');
  const errors = b.gw.link.stats.frameErrors;
  assert.ok(errors > 0, 'the gateway end counted the noise');
  assert.ok(errors <= noisePieces, `${errors} frame errors, at most the ${noisePieces} noise pieces`);
  assert.is(b.gw.link.stats.duplicates, repeats, 'each repeat recognised as one (the clean line needs no resends)');
  assert.is(b.gw.values('motion').length, edges, 'one motion reading per PIR edge');
  assert.is(b.gw.state?.motionCount, edges);
  assert.equal(b.gw.results.map((r) => r.id), sent, 'each answer once, in order');
  assert.equal(b.gw.refused, []);
  assert.equal(bootHellos(b.gw).length, 1, 'the node never restarted');
});

test.run();
