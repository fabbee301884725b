/**
 * `kerb gateway`: the gateway as a service on a Pi (deploy/kerb-gateway.service runs it under
 * systemd). SIGHUP re-reads the site file; SIGTERM and SIGINT stop it after sending what it can.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { createLogger, type Logger } from '../../gateway/log/logger.js';
import { GatewayService } from '../../gateway/service/gateway-service.js';
import { systemFrame } from '../../gateway/state/held-for-clock.js';
import { isTlsUrl, loadTls, type TlsFiles, type UplinkTls } from '../../gateway/uplink/tls-options.js';
import { formatMetrics } from '../../gateway/status/metrics.js';
import { RuntimeSampler } from '../../gateway/status/runtime-metrics.js';
import { checkExposure } from '../../gateway/status/status-auth.js';
import { StatusModel } from '../../gateway/status/status-model.js';
import { DEFAULT_STATUS_HOST, DEFAULT_STATUS_PORT, startStatusServer } from '../../gateway/status/status-server.js';
import { WatchdogPinger } from '../../gateway/systemd/watchdog.js';
import { brokerUrl, formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { DEFAULT_DATA_DIR, PROFILES_DIR } from '../paths.js';
import { KERB_VERSION } from '../version.js';

const help = {
  usage: 'kerb gateway --site FILE --broker URL [--data-dir DIR] [--status-port N] [options]',
  description: 'Runs the gateway for a site file: its devices on the Pi\'s GPIO, Firmata boards and serial nodes,\n' +
    'aggregation, the spool in DIR/<gateway id>/, and the uplink to the broker. Logs are JSON lines on\n' +
    'standard error. SIGHUP re-reads the site file (an invalid one changes nothing and the log says\n' +
    'why); SIGTERM or Ctrl-C stops it, sending what it can for 3 s; the rest waits in the spool.\n' +
    'The status page and /metrics (Prometheus) are on 127.0.0.1:8181 unless told otherwise.\n\n' +
    'exit codes: 0 stopped, 2 usage, 3 invalid site file, 1 failed',
  options: [
    ['--site FILE', 'the site file (kerb validate checks it)'],
    ['--broker URL', 'the MQTT broker, e.g. mqtts://broker.example:8883 (default: $KERB_BROKER)'],
    ['--data-dir DIR', `where epoch and spool live (default ${DEFAULT_DATA_DIR}; the unit uses /var/lib/kerb)`],
    ['--profiles DIR', 'profile directory (default: the shipped device-profiles/)'],
    ['--status-port N', `the status page and /metrics (default ${DEFAULT_STATUS_PORT}; 0 picks a free one)`],
    ['--status-host ADDR', `where they listen (default ${DEFAULT_STATUS_HOST}); another address needs a token`],
    ['--status-token-file FILE', 'a file holding the token (at least 16 characters; default $KERB_STATUS_TOKEN); a file, so it is not in the process list'],
    ['--tls-ca FILE', 'the CA certificate (PEM) the broker\'s certificate must chain to (default $KERB_TLS_CA, else the system CAs); mqtts:// only'],
    ['--tls-cert FILE', 'this gateway\'s client certificate (PEM; its CN is the gateway id; default $KERB_TLS_CERT)'],
    ['--tls-key FILE', 'its private key (PEM, mode 0600: refused if others can read it; default $KERB_TLS_KEY)'],
  ] as Array<[string, string]>,
  examples: [
    'kerb gateway --site /etc/kerb/site.yaml --broker mqtt://broker.lan:1883 --data-dir /var/lib/kerb',
    'kerb gateway --site /etc/kerb/site.yaml --broker mqtts://broker.city.example:8883 --tls-ca /etc/kerb/tls/ca.crt \\\n' +
      '    --tls-cert /etc/kerb/tls/gw-a.crt --tls-key /etc/kerb/tls/gw-a.key',
  ],
};

function portOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_STATUS_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--status-port must be a port number 0..65535, got '${value}'`, EXIT.usage);
  return n;
}

/**
 * The uplink's TLS files from the options or the environment, loaded and checked now: a key
 * others can read, a key that does not fit the certificate or TLS files with a plain mqtt:// URL
 * stop the gateway before it starts. Undefined when none is given.
 */
function uplinkTls(v: Record<string, string | boolean | undefined>, broker: string): UplinkTls | undefined {
  const pick = (option: string, env: string): string | undefined => stringOption(v, option) ?? (process.env[env] || undefined);
  const files: TlsFiles = {};
  const ca = pick('tls-ca', 'KERB_TLS_CA');
  const cert = pick('tls-cert', 'KERB_TLS_CERT');
  const key = pick('tls-key', 'KERB_TLS_KEY');
  if (ca !== undefined) files.ca = ca;
  if (cert !== undefined) files.cert = cert;
  if (key !== undefined) files.key = key;
  if (Object.keys(files).length === 0) return undefined;
  if (!isTlsUrl(broker)) throw new CliError(`--tls-ca, --tls-cert and --tls-key need a TLS broker URL (mqtts://HOST:8883), got ${broker}`, EXIT.usage);
  if ((cert === undefined) !== (key === undefined)) throw new CliError('--tls-cert and --tls-key go together: give both, or neither', EXIT.usage);
  try {
    return loadTls(files);
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.invalid);
  }
}

function readToken(file: string | undefined): string | undefined {
  if (file === undefined) return process.env.KERB_STATUS_TOKEN || undefined;
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new CliError(`cannot read --status-token-file ${file}: ${(err as Error).message}`, EXIT.usage);
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    site: { type: 'string' }, broker: { type: 'string' }, 'data-dir': { type: 'string' }, profiles: { type: 'string' },
    'status-port': { type: 'string' }, 'status-host': { type: 'string' }, 'status-token-file': { type: 'string' },
    'tls-ca': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const v = args.values;
  const siteFile = stringOption(v, 'site');
  const broker = stringOption(v, 'broker') ?? process.env.KERB_BROKER;
  if (siteFile === undefined || broker === undefined) throw new CliError(`--site and --broker (or KERB_BROKER) are required\n\n${formatHelp(help)}`, EXIT.usage);
  brokerUrl(broker);
  const tls = uplinkTls(v, broker);
  const profilesDir = path.resolve(stringOption(v, 'profiles') ?? PROFILES_DIR);
  let site;
  try {
    site = GatewayService.loadSite(siteFile, profilesDir);
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.invalid);
  }
  const clock = new SystemClock();
  let log: Logger;
  try {
    log = createLogger({ clock }); // level from KERB_LOG_LEVEL; repeats limited; secrets redacted
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.usage);
  }
  const statusPort = portOption(stringOption(v, 'status-port'));
  const statusHost = stringOption(v, 'status-host') ?? DEFAULT_STATUS_HOST;
  const statusToken = readToken(stringOption(v, 'status-token-file'));
  try {
    checkExposure(statusHost, statusToken); // before anything starts
  } catch (err) {
    throw new CliError(`${(err as Error).message} (--status-host, --status-token-file)`, EXIT.usage);
  }
  // systemd's watchdog (deploy/kerb-gateway.service): pinged only while the device loop ticks and
  // the uplink makes progress or legitimately waits; a no-op outside systemd.
  let service: GatewayService | undefined;
  // Batches held for an unset wall clock outlive a restart within this boot (Linux: boot id).
  const frame = systemFrame();
  let model: StatusModel | undefined;
  const watchdog = new WatchdogPinger({ clock, log, uplink: () => service!.uplink.stats() });
  service = new GatewayService({
    siteFile, profilesDir, dataDir: stringOption(v, 'data-dir') ?? DEFAULT_DATA_DIR, brokerUrl: broker,
    version: KERB_VERSION, clock, log, onLoopTick: () => watchdog.tick(),
    deviceHealth: () => model!.deviceHealth(),
    ...(tls ? { tls } : {}),
    ...(frame ? { monotonicFrame: frame } : {}),
  }, site);
  const running = service;
  model = new StatusModel({
    gateway: running, uplink: () => (running.started ? running.uplink.stats() : undefined), durable: () => running.durable,
    site: site.site, gatewayId: site.gateway, version: KERB_VERSION, epoch: running.epoch, clock,
  });
  const status = model;
  status.start(); // before the devices, so it sees their first outputs
  running.start();
  watchdog.ready();
  const sampler = new RuntimeSampler();
  sampler.start();
  const server = await startStatusServer({
    source: status, host: statusHost, port: statusPort, log, ...(statusToken !== undefined ? { token: statusToken } : {}),
    metrics: () => formatMetrics(status.snapshot(), sampler.sample()),
  }).catch((err: unknown) => {
    // The lamps run without a status page; the log says why there is none.
    log.error('status.unavailable', { error: (err as Error).message, host: statusHost, port: statusPort });
    return undefined;
  });
  if (server !== undefined) log.info('status.listening', { url: server.url });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      log.info('service.stopping', { signal });
      process.removeListener('SIGHUP', reload);
      watchdog.stopping();
      await server?.close();
      await running.stop(3_000);
      status.stop();
      sampler.stop();
      watchdog.close();
      log.flush();
      resolve(EXIT.ok);
    };
    const reload = (): void => {
      log.info('service.reloading', { file: siteFile });
      watchdog.reloading();
      running.reload();
      watchdog.ready();
    };
    process.on('SIGHUP', reload);
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
