/**
 * `kerb flash`: from a bundle (or a profile, built here) to a node that said hello with it, over
 * one serial cable, with progress and a one-line verdict. Each failure has its own exit code and
 * next step (scripts/flash/flash-error.ts; docs/technician-guide.md). Ctrl-C stops cleanly:
 * the verdict says which firmware the node is left with.
 */
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { Clock } from '../../firmware/hal/clock.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { flowControlExpression, INFO_EXPRESSION } from '../flash/board-connection.js';
import { storeIdentity } from '../flash/device-key.js';
import { FLASH_EXIT, FlashError } from '../flash/flash-error.js';
import { imageFromBuild, imageFromFile, type ImageChecks } from '../flash/flash-image.js';
import { openSystemPort, type FlashOpener } from '../flash/flash-line.js';
import { flash, type FlashImage } from '../flash/flasher.js';
import { duration, ProgressBar } from '../flash/progress-bar.js';
import { callLine } from '../flash/repl-session.js';
import { planLines } from '../flash/upload-plan.js';
import { PROFILES_DIR } from '../paths.js';
import { KERB_VERSION } from '../version.js';

const exitCodes = Object.entries(FLASH_EXIT).filter(([, n]) => n >= 10).map(([c, n]) => `${n} ${c}`).join(', ');

const help = {
  usage: 'kerb flash (--bundle FILE | --profile NAME [--sign KEYFILE] | --site FILE --device ID [--sign KEYFILE]) --port PORT [options]',
  description: 'Writes Kerb firmware to an Espruino board over its serial console and checks it runs: finds the\n' +
    'REPL (or asks a node already running Kerb to stop for maintenance), checks the bundle\'s signature\n' +
    'and version and the board\'s memory, stops running code, writes the bundle into Storage in chunks\n' +
    'with a progress bar (honouring XON/XOFF), reads back its CRC-32, installs it as boot code, restarts\n' +
    'the board and waits for its hello on the link. An upload stopped early (Ctrl-C, a pulled cable)\n' +
    'leaves the old firmware in place.\n\n' +
    `exit codes: 0 flashed and verified, 2 usage, 3 invalid profile or site, ${exitCodes}, 1 other failures`,
  options: [
    ['--bundle FILE', 'a bundle from kerb build --sign (or a plain .js with --force)'],
    ['--profile NAME', 'build the firmware for this profile here instead'],
    ['--site FILE --device ID', "build for a site file's device (its pins, config, link speed)"],
    ['--sign KEYFILE', 'sign what is built here with this private key'],
    ['--port PORT', 'the serial port the board is on (kerb ports lists them)'],
    ['--device-id ID', 'provision this device id and a fresh per-device key along with the firmware'],
    ['--keys-dir DIR', 'where the device key is saved for its gateway, as DIR/<id>.key (default ./keys)'],
    ['--repl-baud N', "the board's console speed (default: the bundle's link speed, then 9600)"],
    ['--trust FILE', 'also trust this public key (repeatable); the trusted directory is $KERB_TRUST_DIR or ~/.config/kerb/trusted'],
    ['--force', 'flash an unsigned, unknown-key or older bundle anyway (warns); never an altered one'],
    ['--hello-timeout S', 'how long to wait for the hello after restart (default 20)'],
    ['--dry-run FILE', 'write the lines flash sends to a board found at the link speed to FILE, and stop; no port is opened'],
    ['--json', 'print the verdict as JSON on stdout'],
  ] as Array<[string, string]>,
  examples: [
    'kerb flash --bundle lamp-pir-pwm.kerb --port /dev/ttyUSB0 --device-id lamp-07',
    'kerb flash --profile lamp-pir-pwm --sign ~/keys/release.key --port /dev/ttyUSB0',
    'kerb flash --bundle lamp.kerb --dry-run upload.txt',
  ],
};

function baudList(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const bauds = value.split(',').map(Number);
  if (bauds.some((b) => !Number.isInteger(b) || b < 1200 || b > 921600)) {
    throw new CliError(`--repl-baud must be a speed from 1200 to 921600 (or a comma-separated list), got '${value}'`, EXIT.usage);
  }
  return bauds;
}

function secondsOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a number of seconds > 0, got '${value}'`, EXIT.usage);
  return n * 1000;
}

function writeDryRun(file: string, image: FlashImage, deviceId: string | undefined): number {
  // The key in a dry run is a placeholder of the right shape: a real one would be a secret in a file.
  const identity = deviceId === undefined ? undefined : storeIdentity(deviceId, { hex: '<key made at flashing>', fingerprint: '' });
  const crc = (crc32(Buffer.from(image.code, 'latin1')) >>> 0).toString(16).padStart(8, '0');
  const manifest = { fw: image.fw, name: image.name, sha256: image.sha256, profile: image.profile, crc32: crc, ...(image.keyId ? { keyId: image.keyId } : {}) };
  const bytes = Buffer.from(planLines(image.code, manifest, identity, callLine, INFO_EXPRESSION, flowControlExpression('Serial1', image.baud)).join(''), 'latin1');
  fs.writeFileSync(file, bytes);
  return bytes.length;
}

/** What a test puts in place of the laptop's serial ports and time (a fake board, a virtual clock). */
export interface FlashDeps {
  opener: FlashOpener;
  clock: Clock;
}

export async function run(argv: string[], deps: FlashDeps = { opener: openSystemPort, clock: new SystemClock() }): Promise<number> {
  const args = parse(argv, {
    bundle: { type: 'string' }, profile: { type: 'string' }, site: { type: 'string' }, device: { type: 'string' },
    sign: { type: 'string' }, port: { type: 'string' }, 'device-id': { type: 'string' }, 'keys-dir': { type: 'string' }, 'repl-baud': { type: 'string' },
    trust: { type: 'string', multiple: true }, force: { type: 'boolean' }, 'hello-timeout': { type: 'string' },
    'dry-run': { type: 'string' }, json: { type: 'boolean' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const v = args.values as Record<string, string | boolean | string[] | undefined>;
  const str = (name: string): string | undefined => stringOption(args.values, name);
  const port = str('port');
  const dryRun = str('dry-run');
  const bundleFile = str('bundle');
  if (port === undefined && dryRun === undefined) throw new CliError(`--port PORT is required ('kerb ports' lists them)\n\n${formatHelp(help)}`, EXIT.usage);
  if (bundleFile !== undefined && (str('profile') !== undefined || str('site') !== undefined)) {
    throw new CliError('give either --bundle or --profile/--site, not both', EXIT.usage);
  }
  const deviceId = str('device-id');
  if (deviceId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(deviceId)) {
    throw new CliError(`--device-id '${deviceId}' must be 1..32 letters, digits, '.', '_' or '-', starting with a letter or digit`, EXIT.usage);
  }
  const replBauds = baudList(str('repl-baud'));
  const helloMs = secondsOption(str('hello-timeout'), 'hello-timeout');
  const json = v.json === true;
  // Colour only on a terminal, judged per stream: the verdict may be piped while progress is not.
  const painter = (stream: NodeJS.WriteStream) => (code: string, text: string): string =>
    stream.isTTY === true && process.env.NO_COLOR === undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
  const paint = painter(process.stdout);
  const paintErr = painter(process.stderr);
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const warn = (line: string): void => log(paintErr('33', `warning: ${line}`));
  const checks: ImageChecks = { trust: { files: (v.trust as string[] | undefined) ?? [] }, force: v.force === true, warn };

  try {
    const image = bundleFile !== undefined
      ? imageFromFile(bundleFile, checks)
      : await imageFromBuild({ profile: str('profile'), site: str('site'), device: str('device'), profilesDir: PROFILES_DIR, fw: KERB_VERSION }, str('sign'), checks);
    log(`firmware: ${image.name} ${image.fw} (${image.kind}, ${(image.code.length / 1024).toFixed(1)} KB, link ${image.baud} baud, ${image.keyId ? `signed by ${image.keyId}` : 'UNSIGNED'})`);
    if (dryRun !== undefined) {
      const n = writeDryRun(dryRun, image, deviceId);
      log(`dry run: the ${n} bytes kerb flash sends to a board whose REPL answers at ${image.baud} baud written to ${dryRun} (the device key is a placeholder); no port was opened`);
      return EXIT.ok;
    }
    const controller = new AbortController();
    let stops = 0;
    const onSigint = (): void => {
      stops++;
      if (stops === 1) {
        log('\nstopping: leaving the node in a known state (Ctrl-C again to quit at once)');
        controller.abort();
      } else {
        log('quit without cleaning up: power-cycle the node; its previous firmware runs unless the install had begun');
        process.exit(FLASH_EXIT.E_INTERRUPTED);
      }
    };
    process.on('SIGINT', onSigint);
    const bar = new ProgressBar(process.stderr);
    try {
      const result = await flash({
        image, path: port!, opener: deps.opener, clock: deps.clock, signal: controller.signal,
        deviceId, keysDir: str('keys-dir'), force: checks.force, log: (line) => {
          bar.end();
          log(line);
        }, warn, progress: (p) => bar.update(p), ...(replBauds ? { replBauds } : {}), ...(helloMs ? { helloMs } : {}),
      });
      bar.end();
      const h = result.hello;
      const verdict = `${paint('32', 'OK')} ${h.id} runs ${image.name} ${h.fw} (${h.kind}, boot ${h.boot}, mode ${h.mode})` +
        ` on ${port}: ${result.bytes} bytes, CRC ${result.crc32}, ${duration(result.elapsedMs)}` +
        (result.previous ? `, was ${result.previous}` : '');
      if (json) process.stdout.write(JSON.stringify({ ok: true, port, ...result }) + '\n');
      else process.stdout.write(verdict + '\n');
      if (h.mode === 'safe') warn(`${h.id} started in safe mode (repeated failed boots before this flash): power-cycle it once the fix is in`);
      return EXIT.ok;
    } finally {
      bar.end();
      process.removeListener('SIGINT', onSigint);
    }
  } catch (err) {
    if (!(err instanceof FlashError)) throw err;
    if (json) process.stdout.write(JSON.stringify({ ok: false, port, code: err.code, message: err.message, next: err.next }) + '\n');
    else process.stdout.write(`${paint('31', 'FAILED')} ${err.message}\n  next: ${err.next}\n`);
    return err.exitCode;
  }
}
