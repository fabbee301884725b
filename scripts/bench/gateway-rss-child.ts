/**
 * A gateway process whose memory gateway-rss.ts measures: a site file's devices on mock pins,
 * hosted by the real Gateway on the system clock (every sensor reading steady: quietStreet), its spool on disk in the data directory and
 * its uplink connected to the broker at <broker-url> (in the parent process).
 *
 *   node --expose-gc gateway-rss-child.js <site-file> <data-dir> <broker-url> <settle-ms>
 *
 * It runs <settle-ms> (long enough for every device's first window to close and a batch to be
 * sent), then until the uplink is online, the spool is empty and, with devices, at least one
 * batch was acknowledged. Then it collects garbage, prints one JSON line with its memory on
 * stdout, stops the gateway, the uplink and the spool, and exits by itself (exit code 0).
 */
import { Logger } from '../../gateway/log/logger.js';
import { openDataDir } from '../../gateway/state/data-dir.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { loadGeneratedSite, mockPinGateway, quietStreet } from './generated-site.js';

export interface ChildFigures {
  devices: number;
  running: number;
  failed: number;
  rssMb: number;
  heapUsedMb: number;
  /** Batches the gateway made and the uplink had acknowledged when memory was read. */
  batches: number;
  sent: number;
}

const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const [siteFile, dataDir, url, settleText] = process.argv.slice(2);
  if (siteFile === undefined || dataDir === undefined || url === undefined || !(Number(settleText) >= 0)) {
    throw new Error('usage: gateway-rss-child.js <site-file> <data-dir> <broker-url> <settle-ms>');
  }
  const log = new Logger((r) => {
    if (r.level === 'error') process.stderr.write(JSON.stringify(r) + '\n');
  });
  const site = loadGeneratedSite(siteFile);
  const data = openDataDir(dataDir, site.gateway, log);
  const uplink = siteUplink({ url, site: site.site, gateway: site.gateway, epoch: data.epoch, version: 'bench', log, queue: data.queue });
  const { gateway, hal } = mockPinGateway({ site, sink: uplink, epoch: data.epoch, log });
  quietStreet(hal, site);
  uplink.start();
  gateway.start();
  await sleep(Number(settleText));
  const deadline = Date.now() + 30_000;
  const settled = (): boolean => {
    const s = uplink.stats();
    return s.state === 'online' && s.pending + s.inflight === 0 && (site.devices.length === 0 || s.sent > 0);
  };
  while (!settled()) {
    if (Date.now() > deadline) throw new Error(`the gateway did not settle: ${JSON.stringify(uplink.stats())}`);
    await sleep(20);
  }
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((r) => setImmediate(r));
  }
  const memory = process.memoryUsage();
  const figures: ChildFigures = {
    devices: site.devices.length, running: gateway.devices().length, failed: gateway.failedDevices().length,
    rssMb: memory.rss / MB, heapUsedMb: memory.heapUsed / MB, batches: gateway.stats().batches, sent: uplink.stats().sent,
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
  gateway.stop();
  await uplink.stop();
  data.queue.close();
}

main().catch((err: Error) => {
  process.stderr.write(`gateway-rss-child: ${err.stack ?? err.message}\n`);
  process.exitCode = 1;
  // Whatever was left running (the uplink, device timers) must not keep a failed child alive.
  setTimeout(() => process.exit(1), 100).unref();
});
