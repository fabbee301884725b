/**
 * The real-time bench figures, small: lamp latency idle and while a backlog drains, and the
 * memory of a gateway process against its 0-device baseline. These check what the measurements
 * do (every edge answered by one write, the drain running during the samples, the children
 * reporting and exiting), never how fast anything was: the bench reports figures, not verdicts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sunTimes } from '../../firmware/devices/sun.js';
import { generatedSiteYaml, generateSite, midnightMeridian } from '../../scripts/bench/generated-site.js';
import { measureGatewayRss, mixedSpec, runGatewayChild } from '../../scripts/bench/gateway-rss.js';
import { measureLampLatency, WARMUP_EDGES } from '../../scripts/bench/lamp-latency.js';
import type { Backlog } from '../../scripts/bench/spool-bench.js';
import { closedPort } from '../harness/ports.js';
import { tempDir } from '../harness/temp-dir.js';

/** Opaque payloads are enough: neither the spool, the uplink nor the broker decodes them. */
function syntheticBacklog(messages: number, valuesEach: number): Backlog {
  const batches = Array.from({ length: messages }, () => ({ topic: 'kerb/v1/t/g/batch', payload: Buffer.alloc(800, 7), values: valuesEach }));
  return { batches, values: messages * valuesEach, bytes: messages * 800 };
}

test('generated sites load with numbered ids in the demo mix', () => {
  const site = generateSite({ lamps: 2, parking: 3, bins: 1, overrides: { lamp: { config: { holdS: 1, fadeS: 0 } } } }, tempDir('kerb-site-'));
  assert.equal(site.devices.map((d) => d.id), ['lamp-0001', 'lamp-0002', 'park-0001', 'park-0002', 'park-0003', 'bin-0001']);
  const lamp = site.devices[1]!;
  assert.ok(lamp.kind === 'lamp' && lamp.config.holdS === 1 && lamp.config.fadeS === 0);
  const mix = mixedSpec(1000, 2, 1);
  assert.equal([mix.lamps, mix.parking, mix.bins], [333, 500, 167]);
});

test('the midnight meridian is in the night, summer and winter, at any hour', () => {
  for (const day of [Date.UTC(2026, 5, 21), Date.UTC(2026, 11, 21)]) {
    for (let hour = 0; hour < 24; hour += 1.5) {
      const wall = day + hour * 3_600_000;
      const at = midnightMeridian(wall, 52.367575);
      const sun = sunTimes(wall, at.latitude, at.longitude);
      assert.ok(wall < sun.sunrise - 3_600_000 || wall > sun.sunset + 3_600_000, `${new Date(wall).toISOString()} at ${at.longitude}`);
    }
  }
});

test('lamp latency: every planned edge gives one write to full, idle and while the spool drains', async () => {
  const f = await measureLampLatency(syntheticBacklog(40, 300), tempDir('kerb-latency-'), {
    samples: 20, lamps: 450, gapMs: [3, 5], drainRatePerS: 200,
  });
  for (const phase of ['idle', 'draining'] as const) {
    assert.ok(f[phase].n >= 20, `${phase}: ${f[phase].n} samples`);
    assert.is(f.samplesMs[phase].length, f[phase].n);
    assert.ok(f.edges[phase] >= 20 + WARMUP_EDGES, `${phase}: ${f.edges[phase]} edges raised`);
    assert.is(f.unmatched[phase], 0, `${phase}: edges without exactly one write to full`);
    // The system clock fires a timer up to 1 ms early (Node times in whole ms): never more.
    for (const ms of f.samplesMs[phase]) assert.ok(ms >= -1, `${phase}: latency ${ms} ms`);
    assert.ok(f[phase].p99 >= f[phase].p50);
  }
  assert.is(f.debounceMs, 50);
  // Every draining sample was taken while the spool still held messages, and it emptied meanwhile.
  assert.ok(f.drain.leftAtLast > 0 && f.drain.leftAtLast < f.drain.leftAtFirst, JSON.stringify(f.drain));
  assert.is(f.drain.valuesDrained, f.drain.messagesDrained * 300);
  assert.ok(f.drain.backlogMessages >= 40);
});

test('gateway RSS: a small gateway and its 0-device baseline report memory and exit cleanly', async () => {
  const f = await measureGatewayRss(12, { windowS: 1, batchIntervalS: 1, timeoutMs: 20_000 });
  assert.is(f.devices, 12);
  for (const mb of [f.rssMb, f.baselineRssMb, f.heapUsedMb, f.baselineHeapUsedMb]) assert.ok(mb > 0 && Number.isFinite(mb), `${mb} MB`);
  assert.ok(f.batchesSent >= 1);
});

test('gateway RSS: a child that cannot settle is killed at the timeout with a clear error', async () => {
  const dir = tempDir('kerb-rss-');
  const file = path.join(dir, 'none.yaml');
  fs.writeFileSync(file, generatedSiteYaml(mixedSpec(0, 1, 1)));
  const url = `mqtt://127.0.0.1:${await closedPort()}`; // the uplink never comes online
  try {
    await runGatewayChild(file, path.join(dir, 'data'), url, 0, 300);
    assert.unreachable('the child should have been killed');
  } catch (err) {
    assert.match((err as Error).message, /did not finish within 0.3 s and was killed/);
  }
});

test.run();
