/**
 * `kerb provision`: gives a node on a serial cable its device id and its own key, checks it
 * says hello under the new id, and adds it to the site file (or prints the entry to paste).
 */
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { FLASH_EXIT, FlashError } from '../flash/flash-error.js';
import { openSystemPort } from '../flash/flash-line.js';
import { provision } from '../flash/provision.js';
import { addToSite, siteSnippet } from '../flash/site-entry.js';
import { PROFILES_DIR } from '../paths.js';

const help = {
  usage: 'kerb provision --port PORT --device-id ID [--site FILE --gateway-port PATH] [options]',
  description: 'Gives the node on PORT its device id and a fresh per-device key (there is no default or shared key):\n' +
    'both go to the node\'s Storage, the key also to KEYS-DIR/<id>.key (mode 0600) for the gateway that\n' +
    'will host the node. If Kerb is installed the node restarts and must say hello under its new id.\n' +
    'With --site the node is added to that site file (checked before it is replaced); without, the entry\n' +
    'to paste is printed. A node already provisioned keeps its id and key unless --force.\n\n' +
    `exit codes: 0 done, 2 usage, ${FLASH_EXIT.E_PORT_MISSING} no such port, ${FLASH_EXIT.E_PORT_BUSY} port busy, ${FLASH_EXIT.E_PORT_ACCESS} no permission, ` +
    `${FLASH_EXIT.E_NOT_ESPRUINO} not Espruino, ${FLASH_EXIT.E_TIMEOUT} timeout, ${FLASH_EXIT.E_NO_HELLO} no hello, ` +
    `${FLASH_EXIT.E_HELLO_MISMATCH} hello with another id, ${FLASH_EXIT.E_PROVISIONED} already provisioned or site file refused, 130 Ctrl-C`,
  options: [
    ['--port PORT', 'the serial port the node is on'],
    ['--device-id ID', 'the id to give it: 1..32 letters, digits, ., _ or -'],
    ['--profile NAME', "the profile for the site entry (default: the installed firmware's)"],
    ['--site FILE', 'add the node to this site file'],
    ['--gateway-port PATH', 'the port the node will be on at its gateway, for the site entry (default: /dev/ttyUSB0)'],
    ['--baud N', "the node's link speed (default 115200)"],
    ['--keys-dir DIR', 'where the key file goes (default ./keys)'],
    ['--repl-baud N', "the board's console speed, if not the link's or 9600"],
    ['--force', 'replace an existing id and key'],
    ['--json', 'print the result as JSON'],
  ] as Array<[string, string]>,
  examples: [
    'kerb provision --port /dev/ttyUSB0 --device-id lamp-07 --site site.yaml --gateway-port /dev/ttyAMA1',
    'kerb provision --port /dev/ttyUSB0 --device-id bin-12 --keys-dir ~/kerb-keys',
  ],
};

function speed(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1200 || n > 921600) throw new CliError(`--${name} must be a speed from 1200 to 921600, got '${value}'`, EXIT.usage);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    port: { type: 'string' }, 'device-id': { type: 'string' }, profile: { type: 'string' }, site: { type: 'string' },
    'gateway-port': { type: 'string' }, baud: { type: 'string' }, 'keys-dir': { type: 'string' }, 'repl-baud': { type: 'string' },
    force: { type: 'boolean' }, json: { type: 'boolean' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const str = (name: string): string | undefined => stringOption(args.values, name);
  const port = str('port');
  const deviceId = str('device-id');
  if (port === undefined || deviceId === undefined) throw new CliError(`--port and --device-id are required\n\n${formatHelp(help)}`, EXIT.usage);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(deviceId)) {
    throw new CliError(`--device-id '${deviceId}' must be 1..32 letters, digits, '.', '_' or '-', starting with a letter or digit`, EXIT.usage);
  }
  const linkBaud = speed(str('baud'), 'baud', 115200);
  const replBaud = str('repl-baud');
  const json = args.values.json === true;
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const result = await provision({
      path: port, opener: openSystemPort, clock: new SystemClock(), signal: controller.signal, deviceId,
      keysDir: str('keys-dir') ?? 'keys', force: args.values.force === true, linkBaud, helloMs: 20_000, log,
      ...(replBaud ? { replBauds: [speed(replBaud, 'repl-baud', linkBaud)] } : {}),
    });
    const profile = str('profile') ?? result.installed?.name;
    const entry = profile === undefined ? undefined : { id: deviceId, profile, port: str('gateway-port') ?? '/dev/ttyUSB0', baud: linkBaud };
    const site = str('site');
    if (entry !== undefined && site !== undefined) {
      addToSite(site, entry, PROFILES_DIR);
      log(`added ${deviceId} to ${site}`);
    }
    if (json) {
      process.stdout.write(JSON.stringify({ ok: true, deviceId, keyFile: result.key.file, keyFingerprint: result.key.fingerprint, hello: result.hello, site: entry && site ? site : undefined }) + '\n');
      return EXIT.ok;
    }
    const said = result.hello ? `it says hello as ${result.hello.id} (Kerb ${result.hello.fw}, ${result.hello.kind})` : 'no Kerb firmware on it yet: kerb flash it next';
    process.stdout.write(`OK ${deviceId} provisioned on ${port}: key ${result.key.fingerprint} in ${result.key.file}; ${said}\n`);
    if (entry === undefined) process.stdout.write('for the site file, say which profile it runs: kerb provision ... --profile NAME\n');
    else if (site === undefined) process.stdout.write(`for the site file's devices:\n${siteSnippet(entry)}`);
    process.stdout.write(`copy ${result.key.file} to its gateway (mode 0600); never to a shared place\n`);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof FlashError)) throw err;
    if (json) process.stdout.write(JSON.stringify({ ok: false, code: err.code, message: err.message, next: err.next }) + '\n');
    else process.stdout.write(`FAILED ${err.message}\n  next: ${err.next}\n`);
    return err.exitCode;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
