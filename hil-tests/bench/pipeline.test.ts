/**
 * The pipeline bench measures what it says: every reading fed in reaches the broker, counted
 * once in the batches it acknowledged, and the naive publisher's messages all arrive. Timing is
 * reported by `kerb bench`, never asserted here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { measurePipeline, type PipelineFigures, type PipelineInput } from '../../scripts/bench/pipeline.js';
import type { RawReading } from '../../scripts/bench/workload.js';
import { tempDir } from '../harness/temp-dir.js';

const BASE = Date.UTC(2026, 5, 21, 20, 0);
const NAIVE = 500;

/**
 * A lamp, a parking space and a bin reporting every 5 s for 30 minutes. States change at every
 * reading (a state's count is of changes), and the last readings fall exactly on a window's end.
 */
function input(): PipelineInput {
  const readings: RawReading[] = [];
  for (let i = 0; i <= 360; i++) {
    const t = BASE + i * 5_000;
    readings.push(
      { device: 'lamp-01', metric: 'level', t, v: (i % 10) / 10 },
      { device: 'lamp-01', metric: 'motion', t, v: 1 },
      { device: 'lamp-01', metric: 'mode', t, v: i % 2 },
      { device: 'park-01', metric: 'occupied', t, v: (i + 1) % 2 },
      { device: 'park-01', metric: 'field', t, v: 40 + (i % 7) / 10 },
      { device: 'bin-01', metric: 'fill', t, v: i % 100 },
      { device: 'bin-01', metric: 'lid', t, v: i % 2 },
    );
  }
  return {
    devices: [
      { id: 'lamp-01', kind: 'lamp', windowMs: 60_000 },
      { id: 'park-01', kind: 'parking', windowMs: 30_000 },
      { id: 'bin-01', kind: 'bin', windowMs: 900_000 },
    ],
    readings, site: 'bench-street', gateway: 'gw-bench',
  };
}

/** Totals of n by device and metric. */
function perMetric(rows: Array<{ device: string; metric: string; n: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { device, metric, n } of rows) out[`${device}/${metric}`] = (out[`${device}/${metric}`] ?? 0) + n;
  return out;
}

const given = input();
let broker: EmbeddedBroker;
let figures: PipelineFigures;
const batches: Buffer[] = [];
const naive: string[] = [];

test.before(async () => {
  broker = await startEmbeddedBroker();
  // Seen by the broker itself before it acknowledges: complete once measurePipeline returns.
  broker.onPublish((topic, payload) => {
    if (topic === 'kerb/v1/bench-street/gw-bench/batch') batches.push(payload);
    if (topic === 'kerb/v1/bench-street/gw-bench/reading') naive.push(payload.toString());
  });
  figures = await measurePipeline(given, tempDir('kerb-pipeline-'), { naiveReadings: NAIVE, broker });
});

test.after(async () => {
  await broker.close();
});

test('every reading fed in is counted once in the batches the broker received', () => {
  const decoded = [...new Map(batches.map((b) => decodeBatch(b)).map((d) => [d.seq, d])).values()];
  assert.is(decoded.length, figures.kerb.batches, 'one batch per sequence number the pipeline made');
  assert.is(batches.reduce((n, b) => n + b.length, 0), figures.kerb.bytes);
  const series = decoded.flatMap((d) => d.series);
  assert.equal(perMetric(series), perMetric(given.readings.map((r) => ({ ...r, n: 1 }))));
  assert.is(figures.kerb.values, given.readings.length);
});

test('the naive publisher sends the first readings, each as JSON, and every one arrives', () => {
  assert.is(figures.naive.values, NAIVE);
  assert.equal(naive.map((m) => JSON.parse(m)), given.readings.slice(0, NAIVE));
});

test('the figures are rates of the values fed', () => {
  for (const side of [figures.kerb, figures.naive]) {
    assert.ok(side.ms > 0);
    assert.ok(Math.abs(side.valuesPerS - (side.values * 1000) / side.ms) < 1e-6 * side.valuesPerS);
  }
  assert.ok(Math.abs(figures.speedup - figures.kerb.valuesPerS / figures.naive.valuesPerS) < 1e-9 * figures.speedup);
});

test.run();
