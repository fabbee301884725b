/**
 * Resident memory of a gateway process for `kerb bench`: N devices mixed as on the demo street
 * (1/3 lamps, 1/2 parking spaces, 1/6 bins) on mock pins, on the real clock, with its spool open
 * on disk and its uplink connected to a broker in another process (this one). The baseline is
 * the same child script with 0 devices: the same modules loaded, the same spool and uplink, so
 * the difference is what the devices cost. Both run side by side in the same call.
 *
 * Each child (gateway-rss-child.ts) runs until every device's first reporting window has closed
 * and a batch was acknowledged (windows of `windowS`, batches every `batchIntervalS`, set short
 * through the site file), collects garbage (--expose-gc) and reports process.memoryUsage() as
 * one JSON line on stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { runBenchChild } from './bench-child.js';
import type { ChildFigures } from './gateway-rss-child.js';
import { generatedSiteYaml, type SiteSpec } from './generated-site.js';

export interface GatewayRssFigures {
  devices: number;
  rssMb: number;
  baselineRssMb: number;
  heapUsedMb: number;
  baselineHeapUsedMb: number;
  /** Batches the N-device gateway had acknowledged when its memory was read. */
  batchesSent: number;
}

export interface GatewayRssOptions {
  /** Every device's reporting window, s; default 2. */
  windowS?: number;
  /** The site's batch interval, s; default 1. */
  batchIntervalS?: number;
  /** A child that has not reported by then is killed; default 60 s. */
  timeoutMs?: number;
  /**
   * Node flags for both children, as a deployment would set them in NODE_OPTIONS: e.g.
   * `--max-semi-space-size=1`, which trades a little GC time for a much smaller young generation.
   */
  nodeFlags?: string[];
}

const CHILD = fileURLToPath(new URL('./gateway-rss-child.js', import.meta.url));

/** The demo street's mix for `devices` devices. */
export function mixedSpec(devices: number, windowS: number, batchIntervalS: number): SiteSpec {
  const lamps = Math.round(devices / 3);
  const parking = Math.round(devices / 2);
  const reporting = { reporting: { windowS } };
  return {
    // One gateway name per device count: two gateways with one MQTT client id would take the
    // broker's session from each other.
    lamps, parking, bins: devices - lamps - parking, site: 'rss-street', gateway: `gw-rss-${devices}`, batchIntervalS,
    overrides: { lamp: reporting, parking: reporting, bin: reporting },
  };
}

/** Runs the child on `siteFile` and returns its figures; kills it after `timeoutMs`. */
export function runGatewayChild(siteFile: string, dataDir: string, url: string, settleMs: number, timeoutMs: number, nodeFlags: string[] = []): Promise<ChildFigures> {
  return runBenchChild<ChildFigures>({
    script: CHILD, args: [siteFile, dataDir, url, String(settleMs)], nodeFlags, timeoutMs,
    label: `gateway-rss: the child on ${path.basename(siteFile)}`,
  });
}

export async function measureGatewayRss(devices = 1000, opts: GatewayRssOptions = {}): Promise<GatewayRssFigures> {
  const windowS = opts.windowS ?? 2;
  const batchIntervalS = opts.batchIntervalS ?? 1;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  // Past the first window's end, then one batch interval for the batch that carries it.
  const settleMs = windowS * 1000 + batchIntervalS * 1000 + 250;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerb-rss-'));
  const broker = await startEmbeddedBroker();
  try {
    const run = async (n: number): Promise<ChildFigures> => {
      const file = path.join(dir, `rss-${n}.yaml`);
      fs.writeFileSync(file, generatedSiteYaml(mixedSpec(n, windowS, batchIntervalS)));
      const figures = await runGatewayChild(file, path.join(dir, `data-${n}`), broker.url, settleMs, timeoutMs, opts.nodeFlags);
      if (figures.running !== n || figures.failed > 0) {
        throw new Error(`gateway-rss: ${figures.running} of ${n} devices running, ${figures.failed} failed to start`);
      }
      return figures;
    };
    // Side by side: memory is per process, and the two need not wait for each other.
    const [baseline, loaded] = await Promise.all([run(0), run(devices)]);
    return {
      devices, rssMb: loaded.rssMb, baselineRssMb: baseline.rssMb, heapUsedMb: loaded.heapUsedMb,
      baselineHeapUsedMb: baseline.heapUsedMb, batchesSent: loaded.sent,
    };
  } finally {
    await broker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
