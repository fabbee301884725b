/**
 * Two link ends on a simulated serial line over the virtual clock: a line that loses and
 * corrupts frames and injects noise, and ends that restart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Link } from '../../firmware/link/link.js';
import { Random } from '../harness/random.js';
import { VirtualClock } from '../harness/virtual-clock.js';

interface Line {
  lossRate: number;
  corruptRate: number;
  noiseRate: number;
}

function pair(line: Line, seed = 1) {
  const clock = new VirtualClock();
  const rng = new Random(seed);
  const got: Record<'a' | 'b', string[]> = { a: [], b: [] };
  const hellos: Record<'a' | 'b', string[]> = { a: [], b: [] };
  const ends: Record<'a' | 'b', Link> = {} as Record<'a' | 'b', Link>;
  const make = (me: 'a' | 'b', peer: 'a' | 'b'): Link => new Link({
    clock, retryMs: 50, queueLength: 64,
    onData: (p) => got[me].push(new TextDecoder().decode(p)),
    onHello: (p) => hellos[me].push(new TextDecoder().decode(p)),
    write: (bytes) => {
      if (rng.chance(line.lossRate)) return;
      const copy = Uint8Array.from(bytes);
      if (rng.chance(line.corruptRate)) copy[rng.int(0, copy.length - 1)] ^= 1 << rng.int(0, 7);
      // 2 ms on the wire, never synchronously: like a UART.
      clock.setTimeout(() => {
        if (rng.chance(line.noiseRate)) ends[peer].receive(Uint8Array.from({ length: rng.int(1, 20) }, () => rng.int(0, 255)));
        ends[peer].receive(copy);
      }, 2);
    },
  });
  ends.a = make('a', 'b');
  ends.b = make('b', 'a');
  const restart = (who: 'a' | 'b', hello: string): void => {
    ends[who].stop();
    ends[who] = make(who, who === 'a' ? 'b' : 'a');
    ends[who].start(new TextEncoder().encode(hello));
  };
  return { clock, ends, got, hellos, restart };
}

const text = (s: string) => new TextEncoder().encode(s);

test('on a clean line every payload arrives once, in order, after the hello', () => {
  const { clock, ends, got, hellos } = pair({ lossRate: 0, corruptRate: 0, noiseRate: 0 });
  ends.a.start(text('node-1 fw 1.0'));
  ends.b.start(text('gateway'));
  for (let i = 0; i < 50; i++) ends.a.send(text(`m${i}`));
  clock.advance(10_000);
  assert.equal(hellos.b, ['node-1 fw 1.0']);
  assert.equal(hellos.a, ['gateway']);
  assert.equal(got.b, Array.from({ length: 50 }, (_, i) => `m${i}`));
  assert.is(ends.a.stats.resent, 0);
});

test('through loss, corruption and noise every payload still arrives exactly once, in order', () => {
  const { clock, ends, got } = pair({ lossRate: 0.2, corruptRate: 0.1, noiseRate: 0.1 }, 7);
  ends.a.start(text('node'));
  ends.b.start(text('gateway'));
  for (let i = 0; i < 300; i++) {
    ends.a.send(text(`a${i}`));
    ends.b.send(text(`b${i}`));
    clock.advance(500); // readings at a pace the line keeps up with, resends included
  }
  clock.advance(60_000);
  assert.equal(got.b, Array.from({ length: 300 }, (_, i) => `a${i}`));
  assert.equal(got.a, Array.from({ length: 300 }, (_, i) => `b${i}`));
  assert.ok(ends.a.stats.resent > 0 && ends.b.stats.frameErrors > 0, 'the line really was bad');
});

test('when either end restarts, the link carries on: the hello is seen and nothing queued is lost', () => {
  const { clock, ends, got, hellos, restart } = pair({ lossRate: 0.05, corruptRate: 0, noiseRate: 0 }, 3);
  ends.a.start(text('node boot 1'));
  ends.b.start(text('gateway'));
  for (let i = 0; i < 20; i++) ends.a.send(text(`x${i}`));
  clock.advance(60_000);
  restart('b', 'gateway again'); // the gateway restarts; the node's numbering goes on
  for (let i = 20; i < 40; i++) ends.a.send(text(`x${i}`));
  clock.advance(60_000);
  restart('a', 'node boot 2'); // the node reboots; its seq starts at 0 again
  for (let i = 40; i < 60; i++) ends.a.send(text(`x${i}`));
  clock.advance(60_000);
  assert.equal(hellos.b, ['node boot 1', 'node boot 2']);
  assert.ok(hellos.a.includes('gateway again'));
  const unique = [...new Set(got.b)];
  assert.equal(unique, Array.from({ length: 60 }, (_, i) => `x${i}`), 'all of them, in order');
  assert.ok(got.b.length - unique.length <= 2, 'at most the frame in flight repeats per restart');
});

test('a full queue drops its oldest waiting payload and says so', () => {
  const { ends } = pair({ lossRate: 1, corruptRate: 0, noiseRate: 0 });
  ends.a.start(text('node')); // the hello is in flight, unacknowledged, on a dead line
  let refused = 0;
  for (let i = 0; i < 70; i++) if (!ends.a.send(text(`m${i}`))) refused++;
  assert.is(refused, 6);
  assert.is(ends.a.stats.dropped, 6);
  assert.is(ends.a.waiting(), 65, 'the hello in flight and 64 queued');
});

test.run();
