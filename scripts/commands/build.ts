/**
 * `kerb build`: compiles the firmware for one device into one JavaScript file an Espruino board
 * runs as it is (docs/firmware.md). `--all DIR` builds every shipped profile (npm run build:firmware).
 * With `--sign KEYFILE` the file written is the signed kerb-bundle/1 envelope (scripts/sign/envelope.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatHelp, numberOption, parse, stringOption } from '../args.js';
import { BUDGET_BYTES, bundleChecked, formatBundleViolation, formatSizes, kb, type FirmwareBundle } from '../build/build-firmware.js';
import type { ModuleSize } from '../build/bundle.js';
import { resolveTarget, type ResolvedTarget } from '../build/firmware-target.js';
import { checkFirmwareSource } from '../build/source-checks.js';
import { CliError, EXIT } from '../cli-error.js';
import { PACKAGE_ROOT, PROFILES_DIR } from '../paths.js';
import { serializeBundle, type SignedBundle } from '../sign/envelope.js';
import { asCli } from '../sign/exit-code.js';
import { readPrivateKey } from '../sign/keys.js';
import { parseVersion } from '../sign/semver.js';
import { signBundle } from '../sign/sign-bundle.js';
import { KERB_VERSION } from '../version.js';

const help = {
  usage: 'kerb build (--profile NAME | --site FILE --device ID) --out FILE [options]\n       kerb build --all DIR [--sign KEYFILE]',
  description: 'Type-checks firmware/ against the Espruino declarations, checks it for constructs Espruino cannot\n' +
    'run, bundles the one controller the device needs with its configuration inlined, minifies it,\n' +
    'checks the emitted JavaScript against the Espruino allowlist and prints its size against the\n' +
    `${kb(BUDGET_BYTES)} budget. Exits 3 when a check fails (nothing is written), 1 over budget with --strict.\n` +
    'With --sign the file is a signed bundle (JSON: manifest with version, sizes and SHA-256, ed25519\n' +
    "signature, code) that `kerb flash` checks against the laptop's trusted keys; without it, plain JavaScript.",
  options: [
    ['--profile NAME', 'a profile in device-profiles/ (or a path to a profile file)'],
    ['--site FILE', 'a site file; with --device, build for that device (its pins, config and id)'],
    ['--device ID', "the site device to build for"],
    ['--device-id ID', "the id the node says in its hello (default: the site device's, else 'unprovisioned')"],
    ['--out FILE', 'where to write the bundle'],
    ['--all DIR', 'build every profile in --profiles into DIR/<profile>.js (.kerb with --sign) and print a table'],
    ['--profiles DIR', 'profile directory (default: the shipped device-profiles/)'],
    ['--baud N', "link speed on Serial1, 9600..921600 (default: the site device's transport baud, else 115200)"],
    ['--watchdog S', 'hardware watchdog timeout in seconds, 0 for boards without one (default 10)'],
    ['--sign KEYFILE', 'sign the bundle with this private key (BASE.key from `kerb keygen`, mode 0600)'],
    ['--fw-version V', `the firmware version (semver) the node reports and the manifest carries (default ${KERB_VERSION})`],
    ['--strict', 'fail (exit 1) when a bundle is over the size budget'],
    ['--sizes', 'say where the bytes go: minified bytes per part of the firmware and per module'],
    ['--json', 'print the result as JSON'],
  ] as Array<[string, string]>,
  examples: [
    'kerb build --profile lamp-pir-pwm --out lamp.js',
    'kerb build --site examples/demo-street.yaml --device lamp-07 --out lamp-07.js',
    'kerb build --all build/firmware',
    'kerb build --profile parking-ultrasonic --out parking.js --sizes',
    'kerb build --profile lamp-pir-pwm --sign ~/kerb-release/release.key --fw-version 1.4.0 --out lamp.kerb',
  ],
};

/** As the site schema takes it: a whole number of bits per second the gateway can open. */
function baudOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 9600 || n > 921600) throw new CliError(`--baud must be a whole number from 9600 to 921600, got '${value}'`, EXIT.usage);
  return n;
}

interface Built {
  name: string;
  file: string;
  bytes: number;
  overBudget: boolean;
  profileHash: string;
  deviceId: string;
  /** Only with --sign or --fw-version, so the plain build's JSON stays as it was. */
  fw?: string;
  keyId?: string;
  sha256?: string;
  /** Only with --sizes. */
  modules?: ModuleSize[];
}

function fwOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return asCli(() => parseVersion(value).text, '--fw-version: ');
}

function writeBundle(file: string, code: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Write beside, then rename: a half-written bundle must never be flashed.
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    profile: { type: 'string' }, site: { type: 'string' }, device: { type: 'string' }, 'device-id': { type: 'string' },
    out: { type: 'string' }, all: { type: 'string' }, profiles: { type: 'string' }, baud: { type: 'string' },
    watchdog: { type: 'string' }, strict: { type: 'boolean' }, json: { type: 'boolean' }, sizes: { type: 'boolean' },
    sign: { type: 'string' }, 'fw-version': { type: 'string' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const v = args.values;
  const profilesDir = path.resolve(stringOption(v, 'profiles') ?? PROFILES_DIR);
  const fwVersion = fwOption(stringOption(v, 'fw-version'));
  const fw = fwVersion ?? KERB_VERSION;
  const signFile = stringOption(v, 'sign');
  // Read the key before building: a key others can read is refused before anything is written.
  const signingKey = signFile === undefined ? undefined : asCli(() => readPrivateKey(signFile));
  const common = {
    profilesDir, fw, deviceId: stringOption(v, 'device-id'),
    baud: baudOption(stringOption(v, 'baud')), watchdogS: numberOption(stringOption(v, 'watchdog'), 'watchdog', 10, 0),
  };
  const allDir = stringOption(v, 'all');
  const out = stringOption(v, 'out');
  let targets: Array<{ target: ResolvedTarget; file: string }>;
  if (allDir !== undefined) {
    const names = fs.readdirSync(profilesDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
    targets = names.map((name) => ({ target: resolveTarget({ ...common, profile: name }), file: path.join(allDir, `${name}.${signingKey ? 'kerb' : 'js'}`) }));
  } else {
    if (out === undefined) throw new CliError(`--out FILE is required\n\n${formatHelp(help)}`, EXIT.usage);
    targets = [{ target: resolveTarget({ ...common, profile: stringOption(v, 'profile'), site: stringOption(v, 'site'), device: stringOption(v, 'device') }), file: out }];
  }
  const log = (line: string): void => {
    if (!v.json) process.stderr.write(line + '\n');
  };

  const source = checkFirmwareSource();
  const problems = [...source.typeErrors, ...source.subsetViolations];
  log(`type-check against the Espruino declarations: ${source.typeErrors.length === 0 ? 'ok' : `${source.typeErrors.length} errors`}`);
  log(`Espruino subset check: ${source.subsetViolations.length === 0 ? 'ok' : `${source.subsetViolations.length} violations`}`);
  if (problems.length > 0) {
    process.stderr.write(problems.join('\n') + '\n');
    throw new CliError(`firmware/ has ${problems.length} problem${problems.length === 1 ? '' : 's'} Espruino would fail on; nothing was written`, EXIT.invalid);
  }

  const bundles: Array<{ bundle: FirmwareBundle; file: string; name: string; signed: SignedBundle | undefined }> = [];
  for (const { target, file } of targets) {
    const bundle = await bundleChecked(PACKAGE_ROOT, target.build);
    if (bundle.violations.length > 0) {
      process.stderr.write(bundle.violations.map((x) => formatBundleViolation(`${target.name}.js`, x)).join('\n') + '\n');
      throw new CliError(`the emitted JavaScript for ${target.name} has ${bundle.violations.length} construct(s) Espruino cannot run; nothing was written`, EXIT.invalid);
    }
    const b = bundle.build;
    // Signed before anything is written: a bundle that cannot be signed leaves no files behind.
    const signed = signingKey === undefined ? undefined
      : asCli(() => signBundle(bundle.code, { name: target.name, kind: b.kind, fw: b.fw, profile: b.profile, deviceId: b.id, baud: b.baud }, signingKey));
    bundles.push({ bundle, file, name: target.name, signed });
  }
  // With --strict, over budget is a failed check like the others: nothing is written.
  const write = !(v.strict && bundles.some((b) => b.bundle.bytes > BUDGET_BYTES));
  const built: Built[] = [];
  for (const { bundle, file, name, signed } of bundles) {
    const b = bundle.build;
    if (write) writeBundle(file, signed === undefined ? bundle.code : serializeBundle(signed));
    const overBudget = bundle.bytes > BUDGET_BYTES;
    built.push({
      name, file, bytes: bundle.bytes, overBudget, profileHash: b.profile, deviceId: b.id,
      ...(signed !== undefined || fwVersion !== undefined ? { fw: b.fw } : {}),
      ...(signed !== undefined ? { keyId: signed.manifest.keyId, sha256: signed.manifest.sha256 } : {}),
      ...(v.sizes ? { modules: bundle.modules } : {}),
    });
    const signing = signed !== undefined ? `, fw ${b.fw}, signed by key ${signed.manifest.keyId}` : fwVersion !== undefined ? `, fw ${b.fw}` : '';
    log(`${name}: ${kb(bundle.bytes)} minified (${bundle.bytes} bytes; budget ${kb(BUDGET_BYTES)}${overBudget ? `, OVER by ${kb(bundle.bytes - BUDGET_BYTES)}` : ''}), ` +
      `${bundle.inputs.length} modules, profile hash ${b.profile}, device id '${b.id}'${signing} ${write ? `-> ${file}` : '(not written)'}`);
    if (v.sizes) log(formatSizes(name, bundle.bytes, bundle.modules));
  }
  if (v.json) process.stdout.write(JSON.stringify({ budgetBytes: BUDGET_BYTES, bundles: built }, null, 2) + '\n');
  const over = built.filter((b) => b.overBudget);
  if (over.length > 0) {
    const names = over.map((b) => b.name).join(', ');
    if (v.strict) throw new CliError(`over the ${kb(BUDGET_BYTES)} budget: ${names}; nothing was written`, EXIT.failed);
    log(`warning: over the ${kb(BUDGET_BYTES)} budget: ${names}`);
  }
  return EXIT.ok;
}
