/**
 * The gateway as a child process for the crash test: the demo street on the virtual clock,
 * running fast, its batches going into the spool in the data directory and out to the broker.
 * It prints `stored <epoch> <seq>` only after the spool has committed a batch, so the parent
 * knows what must survive a SIGKILL. In `drain` mode it only sends what the spool holds.
 *   node crash-child.js <data-dir> <broker-url> <seed> ingest|drain
 */
import { loadSite } from '../../device-profiles/index.js';
import { Logger } from '../../gateway/log/logger.js';
import { openDataDir } from '../../gateway/state/data-dir.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { buildRig } from '../harness/street-rig.js';
import { ROOT } from '../cli/run-kerb.js';
import path from 'node:path';

const [dataDir, url, seedText, mode] = process.argv.slice(2);
const log = new Logger((r) => {
  if (r.level === 'error') process.stderr.write(JSON.stringify(r) + '\n');
});
const loaded = loadSite(path.join(ROOT, 'examples', 'demo-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
if (!loaded.ok) throw new Error('demo street does not load');
const site = loaded.value;
const data = openDataDir(dataDir!, site.gateway, log);
if (!data.durable) throw new Error('the crash test needs a durable spool');
const uplink = siteUplink({
  url: url!, site: site.site, gateway: site.gateway, epoch: data.epoch, version: 'crash-test', log, queue: data.queue,
  drainRatePerS: 2_000,
});
uplink.start();
process.stdout.write(`ready ${data.epoch} ${data.queue.pendingCount()}\n`);

if (mode === 'drain') {
  const timer = setInterval(() => {
    if (data.queue.pendingCount() + data.queue.inflightCount() === 0) {
      clearInterval(timer);
      void uplink.stop().then(() => {
        data.queue.close();
        process.stdout.write('drained\n');
      });
    }
  }, 20);
} else {
  const rig = buildRig({
    site, seed: Number(seedText), startWall: Date.UTC(2026, 5, 21, 18, 0), epoch: data.epoch, log, batchIntervalMs: 10_000,
    sink: {
      send: (topic, payload, cls) => {
        const ok = uplink.send(topic, payload, cls);
        // The batch's seq is the gateway's; read it back from the stats rather than decode.
        if (ok) process.stdout.write(`stored ${data.epoch} ${rig.gateway.stats().seq}\n`);
        return ok;
      },
    },
  });
  rig.street.start();
  rig.gateway.start();
  const run = (): void => {
    rig.clock.advance(10_000); // one batch per step: ingest as fast as the spool takes it
    setImmediate(run);
  };
  run();
}
