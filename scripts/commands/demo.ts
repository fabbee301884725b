/**
 * `kerb demo` (`npm start`): an embedded broker (unless --broker), the demo street simulated on
 * mock boards, the real gateway hosting its controllers, and a live one-screen summary.
 */
import path from 'node:path';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { Logger, type LogRecord } from '../../gateway/log/logger.js';
import { nextEpoch } from '../../gateway/state/epoch.js';
import { checkExposure, type StatusServerError } from '../../gateway/status/status-auth.js';
import { formatMetrics } from '../../gateway/status/metrics.js';
import { RuntimeSampler } from '../../gateway/status/runtime-metrics.js';
import { StatusModel } from '../../gateway/status/status-model.js';
import { DEFAULT_STATUS_HOST, DEFAULT_STATUS_PORT, startStatusServer, type StatusServer } from '../../gateway/status/status-server.js';
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
  usage: 'kerb demo [--broker URL] [--speed N] [--site FILE] [--start HH:MM] [--hours H] [--seed N] [--data-dir DIR] [--status-port N]',
  description: 'Runs the demo street: 20 lamps, 30 parking spaces and 10 bins on simulated pins, with\n' +
    'pedestrians, cars, parking and rubbish, through the real gateway to an MQTT broker. Without\n' +
    '--broker an embedded broker is started on localhost and its URL printed. Forty simulated\n' +
    'minutes in, a bin catches fire so an alert can be seen end to end. The gateway\'s status page\n' +
    `is served on http://${DEFAULT_STATUS_HOST}:${DEFAULT_STATUS_PORT}/ (live devices, link, spool, alerts, plots). Ctrl-C stops cleanly.`,
  options: [
    ['--broker URL', 'publish to this broker instead of the embedded one'],
    ['--speed N', 'simulated time runs N times faster than real time (default 60)'],
    ['--site FILE', 'site file (default examples/demo-street.yaml)'],
    ['--start HH:MM', 'local time on the street at start (default 21:30, dusk is near)'],
    ['--date YYYY-MM-DD', 'simulated date (default 2026-06-21)'],
    ['--hours H', 'stop after H simulated hours (default: run until Ctrl-C)'],
    ['--seed N', 'seed of the simulated street (default 1)'],
    ['--data-dir DIR', `where the gateway keeps its spool and epoch, one folder per gateway (default ${DEFAULT_DATA_DIR})`],
    ['--status-port N', `the status page's port (default ${DEFAULT_STATUS_PORT}; 0 picks a free one)`],
    ['--status-host ADDR', `where the status page listens (default ${DEFAULT_STATUS_HOST}); another address needs a token`],
    ['--status-token T', 'the token the page asks for (at least 16 characters; default $KERB_STATUS_TOKEN); open it as /?token=T'],
  ] as Array<[string, string]>,
  examples: ['npm start', 'npm start -- --broker mqtt://localhost:1883 --speed 60', 'npx kerb demo --speed 600 --hours 24',
    'npx kerb demo --status-host 0.0.0.0 --status-token "$(openssl rand -hex 16)"'],
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
    'status-port': { type: 'string' }, 'status-host': { type: 'string' }, 'status-token': { type: 'string' },
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
  const statusPort = numberOption(stringOption(v, 'status-port'), 'status-port', DEFAULT_STATUS_PORT, 0);
  if (!Number.isInteger(statusPort) || statusPort > 65535) throw new CliError(`--status-port must be a port number 0..65535, got '${statusPort}'`, EXIT.usage);
  const statusHost = stringOption(v, 'status-host') ?? DEFAULT_STATUS_HOST;
  const statusToken = stringOption(v, 'status-token') ?? (process.env.KERB_STATUS_TOKEN || undefined);
  try {
    checkExposure(statusHost, statusToken); // before anything starts
  } catch (err) {
    throw new CliError(`${(err as Error).message} (--status-host, --status-token)`, EXIT.usage);
  }
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
  let opened: ReturnType<typeof openQueue> | undefined;
  const rig = buildRig({
    site, seed, startWall: wall0, epoch, log, utcOffsetMin: UTC_OFFSET_MIN,
    sink: { send: (topic, payload, cls) => (uplink ? uplink.send(topic, payload, cls) : early.push([topic, payload, cls]) > 0) },
    drops: () => opened!.queue.drops(), onDropsReported: () => uplink?.publishStatus(),
  });
  const status = new StatusModel({
    gateway: rig.gateway, uplink: () => uplink?.stats(), durable: () => opened?.durable ?? true,
    site: site.site, gatewayId: site.gateway, version: KERB_VERSION, epoch, clock: rig.clock,
  });
  status.start(); // before the gateway, so the page sees its first outputs
  const sampler = new RuntimeSampler();
  sampler.start();
  const metrics = (): string => formatMetrics(status.snapshot(), sampler.sample());
  const page = await startStatusPage(status, metrics, statusHost, statusPort, statusToken, stringOption(v, 'status-port') !== undefined, log)
    .catch(async (err: unknown) => {
      await broker?.close();
      throw err;
    });
  rig.street.start();
  const burning = site.devices.find((d) => d.kind === 'bin');
  if (burning) rig.street.igniteBin(burning.id, DEMO_FIRE_AFTER_MS);
  rig.gateway.start();

  opened = openQueue(dir, log);
  const backlog = opened.queue.pendingCount();
  process.stdout.write(`kerb demo: data directory ${dir}: epoch ${epoch}, ` +
    (opened.durable ? `spool ${path.join(dir, 'spool.db')} with ${backlog} batch(es) left from before` : 'NO SPOOL: batches wait in memory only') +
    (opened.recovered ? ` (the old spool was unusable and moved to ${opened.recovered.movedTo}: ${opened.recovered.reason})` : '') + '\n');
  uplink = siteUplink({
    url, site: site.site, gateway: site.gateway, epoch, version: KERB_VERSION, log, queue: opened.queue,
    devices: () => status.deviceHealth(),
  });
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
      await page?.close();
      status.stop();
      sampler.stop();
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

/**
 * The status page over the demo's gateway. The default port being taken (another demo) is not
 * worth stopping the street for: it says so and runs on. A port asked for is: exit 1.
 */
async function startStatusPage(source: StatusModel, metrics: () => string, host: string, port: number, token: string | undefined, asked: boolean, log: Logger): Promise<StatusServer | undefined> {
  try {
    const server = await startStatusServer({ source, metrics, host, port, ...(token !== undefined ? { token } : {}), log });
    process.stdout.write(`kerb demo: status page on ${server.url}${token !== undefined ? ' (add ?token=<your token>)' : ''}\n`);
    return server;
  } catch (err) {
    if (asked || (err as StatusServerError).code !== 'E_STATUS_LISTEN') throw new CliError(`kerb demo: ${(err as Error).message}`, EXIT.failed);
    process.stdout.write(`kerb demo: no status page: ${(err as Error).message} (--status-port)\n`);
    return undefined;
  }
}
