/**
 * `kerb demo` (`npm start`): an embedded broker (unless --broker), the demo street simulated on
 * mock boards, the real gateway hosting its controllers, and a live one-screen summary.
 */
import path from 'node:path';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { Logger, type LogRecord } from '../../gateway/log/logger.js';
import { nextEpoch } from '../../gateway/state/epoch.js';
import { gatewayDir, openQueue } from '../../gateway/state/data-dir.js';
import type { MessageClass } from '../../gateway/uplink/message-queue.js';
import type { MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { buildRig } from '../../hil-tests/harness/street-rig.js';
import { brokerUrl, numberOption, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { Pacer } from '../demo/pacer.js';
import { renderSummary } from '../demo/summary.js';
import { DEFAULT_DATA_DIR, DEMO_SITE, PROFILES_DIR } from '../paths.js';
import { loadSiteOrFail } from '../site-config.js';
import { KERB_VERSION } from '../version.js';

const help = {
  usage: 'kerb demo [--broker URL] [--speed N] [--site FILE] [--start HH:MM] [--hours H] [--seed N] [--data-dir DIR]',
  description: 'Runs the demo street: 20 lamps, 30 parking spaces and 10 bins on simulated pins, with\n' +
    'pedestrians, cars, parking and rubbish, through the real gateway to an MQTT broker. Without\n' +
    '--broker an embedded broker is started on localhost and its URL printed. Forty simulated\n' +
    'minutes in, a bin catches fire so an alert can be seen end to end. Ctrl-C stops cleanly.',
  options: [
    ['--broker URL', 'publish to this broker instead of the embedded one'],
    ['--speed N', 'simulated time runs N times faster than real time (default 60)'],
    ['--site FILE', 'site file (default examples/demo-street.yaml)'],
    ['--start HH:MM', 'local time on the street at start (default 21:30, dusk is near)'],
    ['--date YYYY-MM-DD', 'simulated date (default 2026-06-21)'],
    ['--hours H', 'stop after H simulated hours (default: run until Ctrl-C)'],
    ['--seed N', 'seed of the simulated street (default 1)'],
    ['--data-dir DIR', `where the gateway keeps its spool and epoch, one folder per gateway (default ${DEFAULT_DATA_DIR})`],
  ] as Array<[string, string]>,
  examples: ['npm start', 'npm start -- --broker mqtt://localhost:1883 --speed 60', 'npx kerb demo --speed 600 --hours 24'],
};

const UTC_OFFSET_MIN = 120; // Amsterdam in summer, where the demo street stands
/** A demo with no alert would not show that alerts bypass the aggregation windows. */
const DEMO_FIRE_AFTER_MS = 40 * 60_000;

function startWall(date: string, hhmm: string): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!d) throw new CliError(`--date must look like 2026-06-21, got '${date}'`, EXIT.usage);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) throw new CliError(`--start must look like 21:30, got '${hhmm}'`, EXIT.usage);
  return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2])) - UTC_OFFSET_MIN * 60_000;
}

function readEpoch(dir: string): number {
  try {
    return nextEpoch(dir);
  } catch (err) {
    throw new CliError(`cannot use the data directory ${dir}: ${(err as Error).message}\n` +
      'Fix or remove the file named, or pass another --data-dir.', EXIT.invalid);
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    broker: { type: 'string' }, speed: { type: 'string' }, site: { type: 'string' }, start: { type: 'string' },
    date: { type: 'string' }, hours: { type: 'string' }, seed: { type: 'string' }, 'data-dir': { type: 'string' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const v = args.values;
  const speed = numberOption(stringOption(v, 'speed'), 'speed', 60, 0.001);
  const hours = numberOption(stringOption(v, 'hours'), 'hours', Infinity, 0.001);
  const seed = numberOption(stringOption(v, 'seed'), 'seed', 1, 0);
  const wall0 = startWall(stringOption(v, 'date') ?? '2026-06-21', stringOption(v, 'start') ?? '21:30');
  const site = loadSiteOrFail(stringOption(v, 'site') ?? DEMO_SITE, PROFILES_DIR);
  const given = stringOption(v, 'broker');
  if (given !== undefined) brokerUrl(given);
  const dir = gatewayDir(stringOption(v, 'data-dir') ?? DEFAULT_DATA_DIR, site.gateway);
  const epoch = readEpoch(dir);

  const recent: LogRecord[] = [];
  const tty = process.stdout.isTTY === true;
  const log = new Logger((r) => {
    recent.push(r);
    if (recent.length > 3) recent.shift();
    if (!tty && r.level !== 'debug') process.stderr.write(JSON.stringify(r) + '\n');
  });

  let broker: EmbeddedBroker | undefined;
  let url = given;
  if (url === undefined) {
    broker = await startEmbeddedBroker();
    url = broker.url;
    process.stdout.write(`kerb demo: embedded MQTT broker listening on ${url} (watch it: npx kerb tail --broker ${url})\n`);
  }
  // The lamps start before the spool opens: checking a large spool on an SD card takes seconds,
  // and nothing is sent before the uplink exists (the virtual clock has not moved yet).
  let uplink: MqttUplink | undefined;
  const early: Array<[string, Buffer, MessageClass]> = [];
  const rig = buildRig({
    site, seed, startWall: wall0, epoch, log, utcOffsetMin: UTC_OFFSET_MIN,
    sink: { send: (topic, payload, cls) => (uplink ? uplink.send(topic, payload, cls) : early.push([topic, payload, cls]) > 0) },
    drops: () => opened.queue.drops(), onDropsReported: () => uplink?.publishStatus(),
  });
  rig.street.start();
  const burning = site.devices.find((d) => d.kind === 'bin');
  if (burning) rig.street.igniteBin(burning.id, DEMO_FIRE_AFTER_MS);
  rig.gateway.start();

  const opened = openQueue(dir, log);
  const backlog = opened.queue.pendingCount();
  process.stdout.write(`kerb demo: data directory ${dir}: epoch ${epoch}, ` +
    (opened.durable ? `spool ${path.join(dir, 'spool.db')} with ${backlog} batch(es) left from before` : 'NO SPOOL: batches wait in memory only') +
    (opened.recovered ? ` (the old spool was unusable and moved to ${opened.recovered.movedTo}: ${opened.recovered.reason})` : '') + '\n');
  uplink = siteUplink({ url, site: site.site, gateway: site.gateway, epoch, version: KERB_VERSION, log, queue: opened.queue });
  for (const [topic, payload, cls] of early.splice(0)) uplink.send(topic, payload, cls);
  const link = uplink;
  const pacer = new Pacer(rig.clock, speed);
  const snapshot = () => renderSummary({
    site: site.site, gateway: site.gateway, broker: url!, embedded: broker !== undefined, speed,
    simTime: rig.clock.wallTime(), utcOffsetMin: UTC_OFFSET_MIN, devices: rig.gateway.devices(),
    gatewayStats: rig.gateway.stats(), link: link.stats(), failedDevices: rig.gateway.failedDevices().length,
    durable: opened.durable,
  });
  const draw = (): void => {
    if (tty) {
      const logLines = recent.map((r) => `  ${r.time.slice(11, 19)} ${r.level} ${r.event} ${String(r.error ?? r.device ?? r.url ?? '')}`);
      process.stdout.write('\x1b[H\x1b[2J' + [...snapshot(), '', 'recent log:', ...logLines].join('\n') + '\n');
    } else {
      const lines = snapshot();
      process.stdout.write(lines.slice(0, lines.indexOf('')).join(' | ').replace(/\s+/g, ' ') + '\n');
    }
  };

  link.start();
  pacer.start();
  const screen = setInterval(draw, tty ? 1000 : 10_000);
  draw();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (reason: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      clearInterval(screen);
      clearInterval(hoursCheck);
      pacer.stop();
      draw(); // the last picture of the street, before its devices stop
      rig.street.stop();
      rig.gateway.stop(); // closes open windows and sends them
      process.stdout.write(`kerb demo: ${reason}; sending what is queued...\n`);
      const drained = await link.drain(3000);
      const left = link.stats().pending + link.stats().inflight;
      await link.stop();
      opened.queue.close();
      if (broker) await broker.close();
      process.stdout.write(drained ? 'kerb demo: stopped cleanly, everything was acknowledged.\n'
        : `kerb demo: stopped; ${left} batch(es) were not acknowledged (the broker was unreachable)` +
          (opened.durable ? '; they wait in the spool and go out at the next start.\n' : ' and are lost: there was no spool.\n'));
      resolve(EXIT.ok);
    };
    const hoursCheck = setInterval(() => {
      if (rig.clock.now() >= hours * 3_600_000) void stop(`${hours} simulated hours done`);
    }, 100);
    process.once('SIGINT', () => void stop('Ctrl-C'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
