/**
 * `kerb gateway`: the gateway as a service on a Pi (deploy/kerb-gateway.service runs it under
 * systemd). SIGHUP re-reads the site file; SIGTERM and SIGINT stop it after sending what it can.
 */
import path from 'node:path';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { Logger } from '../../gateway/log/logger.js';
import { GatewayService } from '../../gateway/service/gateway-service.js';
import { brokerUrl, formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { DEFAULT_DATA_DIR, PROFILES_DIR } from '../paths.js';
import { KERB_VERSION } from '../version.js';

const help = {
  usage: 'kerb gateway --site FILE --broker URL [--data-dir DIR] [--profiles DIR]',
  description: 'Runs the gateway for a site file: its devices on the Pi\'s GPIO, Firmata boards and serial nodes,\n' +
    'aggregation, the spool in DIR/<gateway id>/, and the uplink to the broker. Logs are JSON lines on\n' +
    'standard error. SIGHUP re-reads the site file (an invalid one changes nothing and the log says\n' +
    'why); SIGTERM or Ctrl-C stops it, sending what it can for 3 s; the rest waits in the spool.\n\n' +
    'exit codes: 0 stopped, 2 usage, 3 invalid site file, 1 failed',
  options: [
    ['--site FILE', 'the site file (kerb validate checks it)'],
    ['--broker URL', 'the MQTT broker, e.g. mqtts://broker.example:8883'],
    ['--data-dir DIR', `where epoch and spool live (default ${DEFAULT_DATA_DIR}; the unit uses /var/lib/kerb)`],
    ['--profiles DIR', 'profile directory (default: the shipped device-profiles/)'],
  ] as Array<[string, string]>,
  examples: [
    'kerb gateway --site /etc/kerb/site.yaml --broker mqtt://broker.lan:1883 --data-dir /var/lib/kerb',
  ],
};

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    site: { type: 'string' }, broker: { type: 'string' }, 'data-dir': { type: 'string' }, profiles: { type: 'string' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const v = args.values;
  const siteFile = stringOption(v, 'site');
  const broker = stringOption(v, 'broker');
  if (siteFile === undefined || broker === undefined) throw new CliError(`--site and --broker are required\n\n${formatHelp(help)}`, EXIT.usage);
  brokerUrl(broker);
  const profilesDir = path.resolve(stringOption(v, 'profiles') ?? PROFILES_DIR);
  let site;
  try {
    site = GatewayService.loadSite(siteFile, profilesDir);
  } catch (err) {
    throw new CliError((err as Error).message, EXIT.invalid);
  }
  const log = new Logger();
  const service = new GatewayService({
    siteFile, profilesDir, dataDir: stringOption(v, 'data-dir') ?? DEFAULT_DATA_DIR, brokerUrl: broker,
    version: KERB_VERSION, clock: new SystemClock(), log,
  }, site);
  service.start();
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      log.info('service.stopping', { signal });
      process.removeListener('SIGHUP', reload);
      await service.stop(3_000);
      resolve(EXIT.ok);
    };
    const reload = (): void => {
      log.info('service.reloading', { file: siteFile });
      service.reload();
    };
    process.on('SIGHUP', reload);
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
