/**
 * The digital input contract, taken from the mock (hil-tests/harness/mock-digital-in.ts), which
 * follows Espruino's setWatch: an edge is reported only once the level has stayed put for
 * debounceMs, stamped with the time of the (last) change and delivered at change + debounceMs;
 * debounce 0 reports every change; `edge` filters what reaches the callback; read() is the raw
 * level; opening a watch reports nothing for the level the pin already has.
 */
import * as assert from 'uvu/assert';
import type { Edge, EdgeEvent, Level } from '../../firmware/hal/pins.js';
import type { BackendBench, BenchFactory } from './backend-bench.js';
import { near, recorder } from './contract-assert.js';
import { benchPin, contractSuite, needs } from './contract-suite.js';

const DEBOUNCE = 50;

/** Drives the pin to `start`, then opens a watch on it that records every edge. */
async function watch(bench: BackendBench, edge: Edge, debounceMs: number, start: Level = 0) {
  const pin = benchPin(bench, 'digital');
  bench.setInput(pin, start);
  await bench.settle(0);
  const edges = recorder<EdgeEvent>(bench.clock);
  const input = bench.hal.digitalIn({ pin, edge, debounceMs, onEdge: edges.fn });
  return { pin, input, edges: edges.calls };
}

export async function digitalInContract(factory: BenchFactory): Promise<void> {
  await contractSuite('digital in', factory, needs('digitalIn', 'digital input'), (test) => {
    test('a change that stays put is reported at change + debounceMs, stamped with the change time', async (bench) => {
      const tol = bench.timingToleranceMs ?? 0;
      const { pin, edges } = await watch(bench, 'both', DEBOUNCE);
      await bench.settle(100);
      const t0 = bench.clock.now();
      bench.setInput(pin, 1);
      await bench.settle(DEBOUNCE - 1 - tol);
      assert.equal(edges, [], 'nothing before the debounce has passed');
      await bench.settle(1 + 2 * tol);
      assert.is(edges.length, 1, 'one edge');
      assert.is(edges[0]!.value.value, 1);
      near(edges[0]!.value.time, t0, tol, 'the edge is stamped with the change time');
      near(edges[0]!.at, t0 + DEBOUNCE, tol, 'the edge is delivered at change + debounceMs');
    });

    test('bounces shorter than debounceMs produce nothing', async (bench) => {
      const { pin, edges } = await watch(bench, 'both', DEBOUNCE);
      bench.setInput(pin, 1);
      await bench.settle(20);
      bench.setInput(pin, 0);
      await bench.settle(500);
      assert.equal(edges, []);
    });

    test('a bouncing edge is reported once, stamped with the last change before it settled', async (bench) => {
      const tol = bench.timingToleranceMs ?? 0;
      const { pin, edges } = await watch(bench, 'both', DEBOUNCE);
      bench.setInput(pin, 1);
      await bench.settle(10);
      bench.setInput(pin, 0);
      await bench.settle(10);
      const t1 = bench.clock.now();
      bench.setInput(pin, 1);
      await bench.settle(DEBOUNCE - 1 - tol);
      assert.equal(edges, []);
      await bench.settle(1 + 2 * tol);
      assert.is(edges.length, 1, 'one edge');
      assert.is(edges[0]!.value.value, 1);
      near(edges[0]!.value.time, t1, tol, 'stamped with the last change');
      near(edges[0]!.at, t1 + DEBOUNCE, tol, 'delivered at last change + debounceMs');
    });

    test('a glitch back to the reported level reports nothing', async (bench) => {
      const { pin, edges } = await watch(bench, 'both', DEBOUNCE);
      bench.setInput(pin, 1);
      await bench.settle(100);
      bench.setInput(pin, 0);
      await bench.settle(10);
      bench.setInput(pin, 1);
      await bench.settle(500);
      assert.equal(edges.map((e) => e.value.value), [1]);
    });

    test('with debounce 0 every change is reported, each with its own time', async (bench) => {
      const tol = bench.timingToleranceMs ?? 0;
      const { pin, edges } = await watch(bench, 'both', 0);
      const t0 = bench.clock.now();
      for (const level of [1, 0, 1] as const) {
        bench.setInput(pin, level);
        await bench.settle(5);
      }
      assert.equal(edges.map((e) => e.value.value), [1, 0, 1]);
      edges.forEach((e, i) => near(e.value.time - t0, i * 5, tol, `time of change ${i}`));
    });

    test("edge 'both' reports rises and falls", async (bench) => {
      const { pin, edges } = await watch(bench, 'both', 20);
      const t0 = bench.clock.now();
      bench.setInput(pin, 1);
      await bench.settle(100);
      bench.setInput(pin, 0);
      await bench.settle(100);
      assert.equal(edges.map((e) => e.value.value), [1, 0]);
      near(edges[1]!.value.time - t0, 100, bench.timingToleranceMs ?? 0, 'time of the fall');
    });

    test("edge 'rising' reports only 0→1, and a filtered fall still re-arms the next rise", async (bench) => {
      const tol = bench.timingToleranceMs ?? 0;
      const { pin, edges } = await watch(bench, 'rising', 20);
      const t0 = bench.clock.now();
      for (const level of [1, 0, 1] as const) {
        bench.setInput(pin, level);
        await bench.settle(100);
      }
      assert.equal(edges.map((e) => e.value.value), [1, 1]);
      near(edges[1]!.value.time - t0, 200, tol, 'time of the second rise');
    });

    test("edge 'falling' reports only 1→0", async (bench) => {
      const tol = bench.timingToleranceMs ?? 0;
      const { pin, edges } = await watch(bench, 'falling', 20);
      const t0 = bench.clock.now();
      for (const level of [1, 0, 1] as const) {
        bench.setInput(pin, level);
        await bench.settle(100);
      }
      assert.equal(edges.map((e) => e.value.value), [0]);
      near(edges[0]!.value.time - t0, 100, tol, 'time of the fall');
    });

    test('read() returns the raw level at once, before the debounce has passed', async (bench) => {
      const { pin, input, edges } = await watch(bench, 'both', DEBOUNCE);
      bench.setInput(pin, 1);
      await bench.settle(0);
      assert.is(input.read(), 1);
      await bench.settle(10);
      bench.setInput(pin, 0);
      await bench.settle(0);
      assert.is(input.read(), 0);
      assert.equal(edges, [], 'the bounce itself is still not an edge');
    });

    test('opening a watch reports nothing for the level the pin already has', async (bench) => {
      for (const debounceMs of [DEBOUNCE, 0]) {
        const { input, edges } = await watch(bench, 'both', debounceMs, 1);
        await bench.settle(200);
        assert.equal(edges, [], `debounce ${debounceMs}`);
        assert.is(input.read(), 1);
        input.close();
      }
    });

    test('an edge is delivered from the clock, never synchronously inside the change', async (bench) => {
      const { pin, edges } = await watch(bench, 'both', 0);
      bench.setInput(pin, 1);
      assert.equal(edges, [], 'not inside setInput');
      await bench.settle(0);
      assert.is(edges.length, 1);
    });

    test('close() cancels an edge still waiting out its debounce', async (bench) => {
      const { pin, input, edges } = await watch(bench, 'both', DEBOUNCE);
      bench.setInput(pin, 1);
      await bench.settle(10);
      input.close();
      await bench.settle(200);
      assert.equal(edges, []);
    });

    test('a pulled-up input that nothing drives reads high, reports nothing for it, and follows a drive low', async (bench) => {
      const pin = benchPin(bench, 'digital');
      const edges = recorder<EdgeEvent>(bench.clock);
      const input = bench.hal.digitalIn({ pin, edge: 'both', debounceMs: 0, pull: 'up', onEdge: edges.fn });
      await bench.settle(0);
      assert.is(input.read(), 1);
      await bench.settle(100);
      assert.equal(edges.calls, [], 'the pull itself is not an edge');
      bench.setInput(pin, 0);
      await bench.settle(5);
      assert.is(input.read(), 0);
      assert.equal(edges.calls.map((e) => e.value.value), [0]);
    }, needs('pullUp', 'pull-up support'));
  });
}
